import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RefGateCore
import RefGateEvidence
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import RefGateTrust
import Testing
import ZIPFoundation

@testable import RefGateNode

/// What someone on the network (nothing signed in, no certificate) or an operator's ordinary
/// mistake could do to a node: each test reproduces the attack or mistake against a real node.
@Suite(.serialized, .timeLimit(.minutes(6))) struct HardeningTests {
    struct FloodResult: Decodable {
        var opened: Int
        var refusedAtOnce: Int
        var held: Int
        var member: String
        var memberSeconds: Double
        var closedWithin: Double?
    }

    /// Floods `port` from 127.0.0.2 while a member calls from 127.0.0.1 (loopback only, bounded).
    static func flood(port: Int, count: Int, member: [String]) async throws -> FloodResult {
        let command = String(decoding: try JSONEncoder().encode(member), as: UTF8.self)
        // Off the task threads: the flood waits on the node, whose server needs them.
        let run = try await ExternalTool.runOffPool(
            ["python3", "\(ExternalTool.interopFolder)/flood.py", "\(port)", "\(count)", "127.0.0.2", command],
            timeout: .seconds(90))
        return try JSONDecoder().decode(FloodResult.self, from: Data(run.output.utf8))
    }

    /// What the listener's connection policy closed, by reason, from the node's `/metrics`.
    static func refusals(_ region: TestRegion, _ listener: String) async throws -> [String: Int] {
        let client = try CurlHTTPClient(configuration: .init(tls: nil))
        let port = try region.configuration(TestRegion.salford).localListener.port
        let response = try await client.send(url: "http://127.0.0.1:\(port)/metrics")
        await client.shutdown()
        var counts: [String: Int] = [:]
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("refgate_connections_refused_total{") && line.contains("listener=\"\(listener)\"") {
            guard let reason = line.firstMatch(of: /reason="([^"]+)"/)?.1,
                let value = line.split(separator: " ").last.flatMap({ Int($0) })
            else { continue }
            counts[String(reason)] = value
        }
        return counts
    }

    /// Every connection of a flood was closed by the policy: over the address's share at once,
    /// the others when their handshake was not done in time (which ones, under load, depends on
    /// how fast the listener accepts them, so the split is not asserted, only that both happened).
    /// `otherwise`: flood connections something else may close first (on a TLS listener, the
    /// one that sends a plain HTTP line fails the handshake, unless its deadline comes first).
    static func expectClosedByPolicy(_ result: FloodResult, _ refused: [String: Int], otherwise: Int = 0) {
        let share = refused["address-share", default: 0]
        let handshake = refused["handshake-timeout", default: 0]
        #expect(share >= 1 && handshake >= 1, "\(refused)")
        #expect(
            (result.opened - otherwise...result.opened).contains(share + handshake), "\(result) \(refused)")
    }

    /// 60 silent connections from one address cannot hold the peer listener: past the address's
    /// share (8 here) they are closed at once, the held ones are closed when the TLS handshake
    /// has not finished in time (1 s here, long before the 30 s idle timeout), and a member
    /// from another address gets through meanwhile.
    @Test func aFloodFromOneAddressCannotHoldThePeerListener() async throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.salford)
        configuration.limits = .init(maxConnections: 32, maxConnectionsPerAddress: 8, handshakeTimeoutSeconds: 1)
        let b = try await region.makeNode(configuration: configuration)
        let member = region.identityFolder(TestRegion.manchester)
        try await withRunning([b]) {
            let port = try await b.peerPort.value()
            let result = try await Self.flood(
                port: port, count: 60,
                member: [
                    "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "--cacert",
                    region.folder.file("ca/ca.pem"), "--cert", "\(member)/auth.pem", "--key", "\(member)/auth.key",
                    "https://127.0.0.1:\(port)/peer/v1/checkpoints",
                ])
            #expect(result.member == "200", "the member is answered during the flood: \(result)")
            #expect(result.closedWithin != nil, "held connections are closed by the handshake timeout: \(result)")
            Self.expectClosedByPolicy(result, try await Self.refusals(region, "peer"), otherwise: 1)
        }
    }

    /// The local listener (plain HTTP on loopback) has the same policy: a share per address, an
    /// unfinished request head (slowloris) closed after the handshake timeout, and `/healthz`
    /// answered for someone else during the flood.
    @Test func aFloodFromOneAddressCannotHoldTheLocalListener() async throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.salford)
        configuration.localListenerLimits = .init(
            idleTimeoutSeconds: 30, maxConnections: 32, maxConnectionsPerAddress: 8, handshakeTimeoutSeconds: 1)
        let b = try await region.makeNode(configuration: configuration)
        try await withRunning([b]) {
            let port = try await b.localPort.value()
            let result = try await Self.flood(
                port: port, count: 60,
                member: [
                    "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                    "http://127.0.0.1:\(port)/healthz",
                ])
            #expect(result.member == "200", "\(result)")
            #expect(result.closedWithin != nil, "\(result)")
            Self.expectClosedByPolicy(result, try await Self.refusals(region, "local"))
        }
    }

    /// An operator's own RSA certificate on the local listener gets the same TLS 1.2 policy as
    /// the built-in one (no CBC, no static RSA), and its key, like every key, must be owner-only.
    @Test func theLocalListenerKeepsItsPolicyWithAnOperatorsRSACertificate() async throws {
        let region = try TestRegion()
        let key = region.folder.file("local-rsa.key")
        let certificate = region.folder.file("local-rsa.pem")
        _ = try await ExternalTool.runOffPool([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days",
            "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        chmod(key, 0o644)
        var configuration = try region.configuration(TestRegion.salford)
        configuration.localTLS = .init(certificate: certificate, key: key)
        await #expect(throws: RefGateError.self) { _ = try await region.makeNode(configuration: configuration) }
        do {
            _ = try await region.makeNode(configuration: configuration)
        } catch let error as RefGateError {
            #expect(error.code == .configurationInvalid && error.detail.contains("chmod 600"), "\(error.detail)")
        }
        chmod(key, 0o600)
        let b = try await region.makeNode(configuration: configuration)
        try await withRunning([b]) {
            let url = "https://127.0.0.1:\(try await b.localPort.value())/healthz"
            // Off the task threads: curl waits on the node, whose server needs them.
            func attempt(_ cipher: String) async throws -> ExternalTool.Result {
                try await ExternalTool.runOffPool([
                    "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "--cacert", certificate,
                    "--tls-max", "1.2", "--ciphers", cipher, url,
                ])
            }
            for cipher in ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"]
            {
                let result = try await attempt(cipher)
                #expect(result.output == "200", "\(cipher) must be accepted: \(result.combined)")
            }
            for cipher in ["AES128-SHA", "ECDHE-RSA-AES128-SHA", "AES128-GCM-SHA256"] {
                let result = try await attempt(cipher)
                #expect(result.status != 0, "\(cipher) must be refused")
            }
        }
    }

    /// The auth key is checked like the sign key: a node with `auth.key` readable by others does
    /// not start, and says how to fix it.
    @Test func aNodeWithAWorldReadableAuthKeyDoesNotStart() async throws {
        let region = try TestRegion()
        let configuration = try region.configuration(TestRegion.manchester)
        chmod(configuration.authKey, 0o644)
        do {
            _ = try await region.makeNode(configuration: configuration)
            Issue.record("the node started with a world-readable auth key")
        } catch let error as RefGateError {
            #expect(error.code == .configurationInvalid)
            #expect(error.detail.contains("auth key") && error.detail.contains("chmod 600"), "\(error.detail)")
        }
    }

    /// "E-mail me a code": the form's answer does no per-address work (nothing is written until
    /// the sign-in service handles the queue, so known and unknown addresses answer alike), one
    /// client may ask five times in 15 minutes, and one address gets at most three codes.
    @Test func codeRequestsAreQueuedAndLimited() async throws {
        let region = try TestRegion()
        let sink = try await MailSink.start(in: region)
        defer { sink.process.stop() }
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.notifications = EscalationTests.notifications(
            sink, ca: region.folder.file("ca/ca.pem"), from: "refgate@manchester.example")
        let node = try await region.makeNode(configuration: configuration)
        let accounts = node.engine.accounts
        let user = try await accounts.add(name: "Mo Ahmed", email: "mo@manchester.example", role: .recruiter, by: nil)
        let router = Router(context: LocalRequestContext.self)
        let signIn = OneTimeCodeSignIn(accounts: accounts)
        try Dashboard(engine: node.engine, health: nil, signIn: signIn, authorityName: "Manchester").add(to: router)
        func codes() async throws -> Int {
            try await node.store.read {
                try $0.credentialsIssued(userID: user.user.id, kind: .signInCode, since: .distantPast)
            }
        }
        try await Application(router: router).test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                let form = try await client.execute(uri: "/signin", method: .get)
                let guardCookie = try #require(DashboardTests.cookie(form, Dashboard.signInCookie))
                    .split(separator: ";")[0]
                let asked = try await client.execute(
                    uri: "/signin/code", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: String(guardCookie)],
                    body: ByteBuffer(
                        string:
                            "csrf=\(try DashboardTests.csrf(DashboardTests.body(form)))&email=mo%40manchester.example"
                    ))
                statuses.append(asked.status)
            }
            #expect(statuses == Array(repeating: .ok, count: 5) + [.tooManyRequests])
        }
        #expect(try await codes() == 0, "the request path wrote nothing")
        try await withRunning([node], extra: [signIn]) {
            try await eventually("the queue is handled") { try await codes() == Accounts.signInCodesPerAddress }
            // Two more asked straight from the engine: still three.
            try await accounts.emailSignInCode(email: "mo@manchester.example")
            #expect(try await codes() == Accounts.signInCodesPerAddress)
            region.clock.advance(by: Accounts.signInCodeLifetime + 1)
            try await accounts.emailSignInCode(email: "mo@manchester.example")
            #expect(try await codes() == Accounts.signInCodesPerAddress + 1, "a new window")
        }
    }

    /// `evidence verify` reads a bundle within bounds: two entries with one name are refused (a
    /// tool that extracts one of them would show other bytes than were checked), and an entry
    /// that inflates past the limit stops the check instead of filling memory.
    @Test func aBundleWithDuplicateOrBombEntriesIsRefused() async throws {
        let region = try TestRegion()
        let ca = try RegionalCA.load(from: region.folder.file("ca"))
        let verifier = try EvidenceVerifier(caCertificate: ca.certificate)
        func zip(_ entries: [(String, Data)]) throws -> Data {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, data) in entries {
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                    provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            }
            return try #require(archive.data)
        }
        let duplicate = verifier.verify(
            bundle: try zip([
                ("manifest.json", Data("{}".utf8)), ("messages/a.jws", Data("forged".utf8)),
                ("messages/a.jws", Data("real".utf8)),
            ]))
        #expect(!duplicate.verified)
        #expect(duplicate.failures.contains { $0.contains("two entries named messages/a.jws") }, "\(duplicate)")

        let bomb = try zip([("manifest.json", Data(count: 40 << 20))])
        #expect(bomb.count < 1 << 20, "40 MiB of zeros deflates to well under 1 MiB")
        let report = verifier.verify(bundle: bomb)
        #expect(report.failures.contains { $0.contains("inflate") }, "\(report)")

        // Each entry under its limit, all of them together over the total.
        let many = verifier.verify(
            bundle: try zip((0..<10).map { ("messages/\($0).jws", Data(count: 7 << 20)) }))
        #expect(many.failures.contains { $0.contains("inflates past the limit") }, "\(many)")

        let climbing = verifier.verify(bundle: try zip([("../outside.json", Data("{}".utf8))]))
        #expect(climbing.failures.contains { $0.contains("not a plain relative path") }, "\(climbing)")
    }

    /// Tokens may expire and are revoked one at a time; a revoked user's address may be given a
    /// new account (the old one stays, revoked, for the record).
    @Test func tokensExpireAndAreRevokedOneAtATime() async throws {
        let region = try TestRegion()
        let node = try await region.makeNode(TestRegion.manchester)
        let accounts = node.engine.accounts
        let first = try await accounts.add(
            name: "Ann Operator", email: "ann@manchester.example", role: .operator, tokenDays: 30, by: nil)
        #expect(first.expiresAt == region.clock.now().addingTimeInterval(30 * 86_400))
        let second = try await accounts.issueToken(user: "ann@manchester.example", by: nil)
        #expect(try await accounts.user(apiToken: first.token)?.id == first.user.id)
        let listed = try await accounts.tokens(user: first.user.id)
        #expect(listed.count == 2)
        let firstID = Accounts.hash(first.token).prefix(8).hexEncoded
        #expect(listed.contains { $0.id == firstID && $0.expiresAt != nil })

        _ = try await accounts.revokeToken(user: first.user.id, token: firstID, by: nil)
        #expect(try await accounts.user(apiToken: first.token) == nil, "the revoked token stops")
        #expect(try await accounts.user(apiToken: second.token) != nil, "the other keeps working")
        await #expect(throws: RefGateError.self) {
            _ = try await accounts.revokeToken(user: first.user.id, token: "0000000000000000", by: nil)
        }

        let third = try await accounts.issueToken(user: first.user.id, days: 1, by: nil)
        region.clock.advance(by: 86_400 + 1)
        #expect(try await accounts.user(apiToken: third.token) == nil, "an expired token stops")
        #expect(try await accounts.list().first { $0.user.id == first.user.id }?.apiTokens == 1)
        await #expect(throws: RefGateError.self) {
            _ = try await accounts.issueToken(user: "ann@manchester.example", days: 0, by: nil)
        }

        _ = try await accounts.revoke(user: "ann@manchester.example", by: nil)
        let again = try await accounts.add(
            name: "Ann Operator", email: "Ann@Manchester.example", role: .operator, by: nil)
        #expect(again.user.id != first.user.id)
        #expect(try await accounts.user(apiToken: again.token)?.id == again.user.id)
        let users = try await accounts.list().filter { $0.user.email.lowercased() == "ann@manchester.example" }
        #expect(users.count == 2 && users.filter { $0.user.revokedAt == nil }.count == 1)
        do {
            _ = try await accounts.add(name: "Ann Again", email: "ann@manchester.example", role: .operator, by: nil)
            Issue.record("a live address was given a second account")
        } catch let error as RefGateError {
            #expect(error.code == .userExists)
        }
    }

    /// Every text field of the local API is bounded: a 900,000-character `recordedBy` is refused
    /// before it reaches the audit log, and a checklist needs a candidate this node asked about.
    @Test func textFieldsAreBoundedAndAChecklistNeedsACandidate() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        try await withRunning([a]) {
            let token = try region.adminToken(TestRegion.manchester)
            let before = try await a.store.read { try $0.auditRows(from: 0).count }
            let huge = String(repeating: "x", count: 900_000)
            let long = try await AdminAPITests.call(
                region, TestRegion.manchester, "/candidates/SW123456/checklist",
                body: Data(
                    #"{"checklist":{"dbsReviewed":true,"permanentEmployerReferences":true,"employmentGapsChallenged":true},"recordedBy":"\#(huge)"}"#
                        .utf8), token: token)
            #expect(long.status == 400)
            #expect(try AdminAPITests.problem(long).detail.contains("recordedBy is longer than 4000"))
            let noCase = try await AdminAPITests.call(
                region, TestRegion.manchester, "/candidates/SW123456/checklist",
                body: Data(
                    #"{"checklist":{"dbsReviewed":true,"permanentEmployerReferences":true,"employmentGapsChallenged":true},"recordedBy":"Pat"}"#
                        .utf8), token: token)
            #expect(noCase.status == 404, "\(String(decoding: noCase.body, as: UTF8.self))")
            var draft = TestRegion.draft()
            draft.candidate.name = String(repeating: "y", count: 5_000)
            let request = try await AdminAPITests.call(
                region, TestRegion.manchester, "/requests", body: try MessageCoding.encoder().encode(draft),
                token: token)
            #expect(request.status == 400)
            #expect(try AdminAPITests.problem(request).detail.contains("candidate.name"))
            #expect(try await a.store.read { try $0.auditRows(from: 0).count } == before, "nothing written")
        }
    }
}
