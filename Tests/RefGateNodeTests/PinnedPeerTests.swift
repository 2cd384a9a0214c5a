import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing

/// Outbound TLS trusts only the auth key the directory lists for the peer, and nothing goes to
/// a member whose auth certificate is revoked.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PinnedPeerTests {
    /// An independent TLS server (Python) on Salford's address with a second auth certificate
    /// for Salford from the regional CA, which the directory does not list (a refgate node would
    /// refuse to start with it).
    static func impostor(_ region: TestRegion) async throws -> BackgroundProcess {
        let ca = try RegionalCA.load(from: region.folder.file("ca"))
        let other = region.folder.file("salford-unlisted")
        try AuthorityCredentials.issue(
            by: ca, authority: TestRegion.salford, name: "Salford City Council", host: "127.0.0.1", into: other,
            now: region.clock.now())
        let port = try region.configuration(TestRegion.salford).peerListener.port
        let portFile = region.folder.file("impostor.port")
        let impostor = try BackgroundProcess([
            "python3", "\(ExternalTool.interopFolder)/tls_peer.py", "--cert", "\(other)/auth.pem", "--key",
            "\(other)/auth.key", "--ca", region.folder.file("ca/ca.pem"), "--port", "\(port)", "--port-file", portFile,
        ])
        _ = try await impostor.waitForFile(portFile)
        return impostor
    }

    /// Salford's node presenting a second auth certificate: issued by the regional CA for the
    /// right host, so it passes the CA and host checks, but not the one in the directory (a
    /// stolen CA-issued certificate, or a server that was never enrolled).
    @Test func aPeerPresentingAnotherCertificateFromTheCAReceivesNothing() async throws {
        let region = try TestRegion()
        let impostor = try await Self.impostor(region)
        defer { impostor.stop() }
        let a = try await region.makeNode(TestRegion.manchester)
        try await withRunning([a]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("two refused attempts", advancing: region.clock) {
                (try await a.outbox(opened.requestMessageID)?.attempts ?? 0) >= 2
            }
            let entry = try #require(try await a.outbox(opened.requestMessageID))
            #expect(entry.state == .pending)
            // Refused in the handshake, before a byte of the message was sent.
            #expect(entry.lastError?.contains("tls-peer-untrusted") == true, "\(entry.lastError ?? "-")")
            impostor.stop()
            // The real Salford, with the key the directory lists, gets it.
            let b = try await region.makeNode(TestRegion.salford)
            try await withRunning([b]) {
                try await eventually("delivered to the listed key", advancing: region.clock) {
                    try await a.outbox(opened.requestMessageID)?.state == .delivered
                }
            }
        }
    }

    /// `refgate audit verify --peer-checkpoints` pins the key the directory lists, as delivery
    /// does: a server with another certificate from the regional CA is not asked.
    @Test func auditVerifyAsksOnlyTheListedKeyForWitnessedHeads() async throws {
        let region = try TestRegion()
        let impostor = try await Self.impostor(region)
        defer { impostor.stop() }
        let a = try await region.makeNode(TestRegion.manchester)
        // A case with Salford makes it a peer whose witnessed heads are asked for.
        _ = try await a.engine.commands.sendRequest(TestRegion.draft())
        let (_, answers) = try await AuditCheck.run(
            configuration: a.configuration, peerCheckpoints: true, logger: Logger(label: "test"))
        let answer = try #require(answers.first { $0.peer == TestRegion.salford })
        #expect(answer.heads == 0)
        #expect(answer.error?.contains("tls-peer-untrusted") == true, "\(answer)")
    }

    @Test func nothingIsSentToAMemberWhoseAuthCertificateIsRevoked() async throws {
        let region = try TestRegion()
        let (ca, current) = try await region.currentDirectory()
        var next = current.directory
        next.version = 2
        next.revokedCertificates = [try #require(current.member(TestRegion.salford)).authThumbprint]
        let revoking = try next.signed(by: ca).compact
        #expect(
            try await TrustedDirectory.verify(compact: revoking, anchor: ca.certificate, now: region.clock.now())
                .member(TestRegion.salford)?.refusalToReceive(at: region.clock.now())
                == "the auth certificate of E08000006 is revoked in the directory")

        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        _ = try await a.directory.install(compact: revoking, now: region.clock.now())
        try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("two withheld attempts", advancing: region.clock) {
                (try await a.outbox(opened.requestMessageID)?.attempts ?? 0) >= 2
            }
            let entry = try #require(try await a.outbox(opened.requestMessageID))
            #expect(entry.state == .pending)
            #expect(entry.lastError?.contains("revoked") == true, "\(entry.lastError ?? "-")")
            #expect(try await b.store.read { try $0.message(opened.requestMessageID) } == nil)
        }
    }

    /// A running node checks its directory on use: once it has expired, it sends nothing and
    /// accepts nothing (`directory-expired`), until a current one is installed.
    @Test func anExpiredDirectoryFailsClosedWhileRunning() async throws {
        let region = try TestRegion(directoryValidity: 2 * 86_400)
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            region.clock.advance(by: 3 * 86_400)
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("a withheld attempt", advancing: region.clock) {
                (try await a.outbox(opened.requestMessageID)?.attempts ?? 0) >= 1
            }
            let entry = try #require(try await a.outbox(opened.requestMessageID))
            #expect(entry.state == .pending)
            #expect(entry.lastError?.contains("directory-expired") == true, "\(entry.lastError ?? "-")")
            #expect(try await b.store.read { try $0.message(opened.requestMessageID) } == nil)

            let jws = try region.signer(TestRegion.manchester).sign(PeerAPIRejectionTests.request(region))
            let client = try region.peerClient(as: TestRegion.manchester)
            let refused = try await client.send(
                url: try region.peerURL(TestRegion.salford), body: Data(jws.compact.utf8),
                headerFields: [.contentType: PeerAPI.joseMediaType])
            await client.shutdown()
            #expect(refused.status.code == 422)
            #expect(try JSONDecoder().decode(ProblemDetails.self, from: refused.body).code == "directory-expired")
        }
    }
}
