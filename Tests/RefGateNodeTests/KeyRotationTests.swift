import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing

/// A member rotates its auth and sign keys between live nodes without losing a message: the
/// directory lists its next pair beside the current one, the member switches when it likes,
/// and a later version drops the old pair.
@Suite(.serialized, .timeLimit(.minutes(5))) struct KeyRotationTests {
    @Test func salfordRotatesItsKeysWithMessagesInFlight() async throws {
        let region = try TestRegion()
        let (ca, v1) = try await region.currentDirectory()
        let nextFolder = region.folder.file("salford-next")
        try AuthorityCredentials.issue(
            by: ca, authority: TestRegion.salford, name: "Salford City Council", host: "127.0.0.1", into: nextFolder,
            now: region.clock.now())
        let nextPair = try AuthorityCredentials.directoryEntry(
            authority: TestRegion.salford, name: "Salford City Council", endpoint: "https://x", folder: nextFolder)
        let index = try #require(v1.directory.authorities.firstIndex { $0.id == TestRegion.salford })

        // v2: the next pair beside the current one.
        var overlap = v1.directory
        overlap.version = 2
        overlap.authorities[index].nextAuthCertificate = nextPair.authCertificate
        overlap.authorities[index].nextSignCertificate = nextPair.signCertificate
        let v2 = try overlap.signed(by: ca).compact
        // v3: the next pair is the only one.
        var rotated = overlap
        rotated.version = 3
        rotated.authorities[index].authCertificate = nextPair.authCertificate
        rotated.authorities[index].signCertificate = nextPair.signCertificate
        rotated.authorities[index].nextAuthCertificate = nil
        rotated.authorities[index].nextSignCertificate = nil
        let v3 = try rotated.signed(by: ca).compact

        var salfordConfig = try region.configuration(TestRegion.salford)
        let a = try await region.makeNode(TestRegion.manchester)
        let old = try await region.makeNode(configuration: salfordConfig)
        _ = try await a.directory.install(compact: v2, now: region.clock.now())
        _ = try await old.directory.install(compact: v2, now: region.clock.now())
        try PEMFile.writePublic(v2 + "\n", to: salfordConfig.directory)

        try await withRunning([a]) {
            // Before the switch: the old pair, under the overlap directory.
            let first = try await withRunning([old]) {
                let first = try await a.engine.commands.sendRequest(TestRegion.draft())
                try await eventually("delivered to the old key", advancing: region.clock) {
                    try await a.outbox(first.requestMessageID)?.state == .delivered
                }
                return first
            }
            // Salford switches to its next pair (its node restarts with the new files).
            salfordConfig.authCertificate = "\(nextFolder)/auth.pem"
            salfordConfig.authKey = "\(nextFolder)/auth.key"
            salfordConfig.signCertificate = "\(nextFolder)/sign.pem"
            salfordConfig.signKey = "\(nextFolder)/sign.key"
            let new = try await region.makeNode(configuration: salfordConfig)
            try await withRunning([new]) {
                let second = try await a.engine.commands.sendRequest(TestRegion.draft())
                try await eventually("delivered to the new key", advancing: region.clock) {
                    try await a.outbox(second.requestMessageID)?.state == .delivered
                }
                // Salford answers the first case, signed with its new key; Manchester accepts it.
                _ = try await new.engine.commands.respond(caseID: first.id, TestRegion.verifiedBySeniorManager)
                try await eventually("the answer signed with the new key arrives", advancing: region.clock) {
                    try await a.store.read { try $0.case(first.id) }?.status == .verified
                }
                // The overlap ends: v3 lists only the new pair, everywhere.
                _ = try await a.directory.install(compact: v3, now: region.clock.now())
                _ = try await new.directory.install(compact: v3, now: region.clock.now())
                let third = try await a.engine.commands.sendRequest(TestRegion.draft())
                try await eventually("delivered after the overlap", advancing: region.clock) {
                    try await a.outbox(third.requestMessageID)?.state == .delivered
                }
            }
        }
        // The old sign key verifies nothing any more.
        let oldSigned = try region.signer(TestRegion.salford).sign(PeerAPIRejectionTests.request(region))
        let refusal = await #expect(throws: RefGateError.self) {
            try await a.directory.current.verifySignature(of: oldSigned, at: region.clock.now())
        }
        #expect(refusal?.code == .unknownSigningKey)
        let pins = try #require(await a.directory.current.member(TestRegion.salford)).authPins
        #expect(!pins.contains(";"), "one pin after the overlap: \(pins)")
    }
}
