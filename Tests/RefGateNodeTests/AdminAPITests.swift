import Foundation
import HTTPTypes
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import RefGateTrust
import Testing

/// The local API the CLI uses, where it may listen, and installing a new directory into a running node.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AdminAPITests {
    static func call(
        _ region: TestRegion, _ id: AuthorityID, _ path: String, body: Data? = nil, token: String? = nil
    ) async throws -> ClientResponse {
        let client = try CurlHTTPClient(configuration: .init(tls: nil))
        var fields: HTTPFields = [.contentType: "application/json"]
        if let token { fields[.authorization] = "Bearer \(token)" }
        let response = try await client.send(url: try region.adminURL(id) + path, body: body, headerFields: fields)
        await client.shutdown()
        return response
    }

    static func problem(_ response: ClientResponse) throws -> ProblemDetails {
        try JSONDecoder().decode(ProblemDetails.self, from: response.body)
    }

    @Test func requestsNeedTheBearerToken() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        try await withRunning([a]) {
            let missing = try await Self.call(region, TestRegion.manchester, "/status")
            #expect(missing.status == 401)
            #expect(try Self.problem(missing).code == "unauthorized")
            let wrong = try await Self.call(region, TestRegion.manchester, "/status", token: "guess")
            #expect(wrong.status == 401)
            let status = try await Self.call(
                region, TestRegion.manchester, "/status", token: try region.adminToken(TestRegion.manchester))
            #expect(status.status == 200)
            let decoded = try MessageCoding.decoder().decode(NodeStatus.self, from: status.body)
            #expect(decoded.authority == TestRegion.manchester && decoded.directoryVersion == 1)
            #expect(decoded.databaseSynchronous == 2)
            let attributes = try FileManager.default.attributesOfItem(
                atPath: try region.configuration(TestRegion.manchester).adminTokenFile)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test func badInputIsAProblemAndLosesNothing() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        try await withRunning([a]) {
            let token = try region.adminToken(TestRegion.manchester)
            var draft = TestRegion.draft()
            draft.candidate.registration.number = "12345"
            let invalid = try await Self.call(
                region, TestRegion.manchester, "/requests", body: try MessageCoding.encoder().encode(draft),
                token: token)
            #expect(invalid.status == 400)
            let problem = try Self.problem(invalid)
            #expect(problem.type == "urn:refgate:problem:invalid-input")
            #expect(problem.detail.contains("/candidate/registration/number"))
            let malformed = try await Self.call(
                region, TestRegion.manchester, "/requests", body: Data(#"{"to":"E08000006"}"#.utf8), token: token)
            #expect(malformed.status == 400)
            #expect(try Self.problem(malformed).detail.contains("missing field"))
            let unknownPeer = try await Self.call(
                region, TestRegion.manchester, "/requests",
                body: try MessageCoding.encoder().encode(TestRegion.draft(to: AuthorityID(rawValue: "E08000099")!)),
                token: token)
            #expect(unknownPeer.status == 422)
            let unknownCase = try await Self.call(region, TestRegion.manchester, "/cases/nope", token: token)
            #expect(unknownCase.status == 404)
            #expect(try await a.store.read { try $0.cases() }.isEmpty)
        }
    }

    @Test func sendListShowAndRespondThroughTheAdminAPI() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            let tokenA = try region.adminToken(TestRegion.manchester)
            let tokenB = try region.adminToken(TestRegion.salford)
            let created = try await Self.call(
                region, TestRegion.manchester, "/requests",
                body: try MessageCoding.encoder().encode(TestRegion.draft()),
                token: tokenA)
            #expect(created.status == 201)
            let opened = try MessageCoding.decoder().decode(CaseView.self, from: created.body)
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            let owed = try await Self.call(region, TestRegion.salford, "/cases?direction=received", token: tokenB)
            #expect(
                try MessageCoding.decoder().decode(Page<CaseSummary>.self, from: owed.body).items.map(\.caseID) == [
                    opened.id
                ])
            let badFilter = try await Self.call(region, TestRegion.salford, "/cases?status=maybe", token: tokenB)
            #expect(badFilter.status == 400)
            let answered = try await Self.call(
                region, TestRegion.salford, "/cases/\(opened.id)/response",
                body: try MessageCoding.encoder().encode(TestRegion.verifiedBySeniorManager), token: tokenB)
            #expect(answered.status == 200)
            let again = try await Self.call(
                region, TestRegion.salford, "/cases/\(opened.id)/response",
                body: try MessageCoding.encoder().encode(TestRegion.verifiedBySeniorManager), token: tokenB)
            #expect(again.status == 409)
            try await eventually("response arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .verified
            }
            let shown = try await Self.call(region, TestRegion.manchester, "/cases/\(opened.id)", token: tokenA)
            let detail = try MessageCoding.decoder().decode(CaseDetail.self, from: shown.body)
            #expect(detail.response?.responder.role == .serviceManager)
        }
    }

    @Test func aNewerDirectoryIsInstalledAndARollbackIsRefusedEvenAfterRestart() async throws {
        let region = try TestRegion()
        let (ca, current) = try await region.currentDirectory()
        var next = current.directory
        next.version = 5
        let v5 = try next.signed(by: ca).compact
        next.version = 3
        let v3 = try next.signed(by: ca).compact
        let a = try await region.makeNode(TestRegion.manchester)
        let token = try region.adminToken(TestRegion.manchester)
        try await withRunning([a]) {
            let installed = try await Self.call(
                region, TestRegion.manchester, "/directory", body: Data(v5.utf8), token: token)
            #expect(installed.status == 200, "\(String(decoding: installed.body, as: UTF8.self))")
            #expect(await a.directory.current.directory.version == 5)
            let rollback = try await Self.call(
                region, TestRegion.manchester, "/directory", body: Data(v3.utf8), token: token)
            #expect(rollback.status == 422)
            #expect(try Self.problem(rollback).code == "directory-rollback")
            let forged = try await Self.call(
                region, TestRegion.manchester, "/directory",
                body: Data(try next.signed(by: try RegionalCA.create(region: "x", now: Date())).compact.utf8),
                token: token)
            #expect(try Self.problem(forged).code == "directory-invalid")
        }
        // Restarting with an older directory file than the highest ever installed is refused.
        try (v3 + "\n").write(
            toFile: try region.configuration(TestRegion.manchester).directory, atomically: true, encoding: .utf8)
        let error = await #expect(throws: RefGateError.self) { try await region.makeNode(TestRegion.manchester) }
        #expect(error?.code == .directoryRollback)
    }

    @Test func requestsAreDueInWorkingTimeByThePolicy() async throws {
        // A Friday afternoon: two working days later is Tuesday afternoon.
        let region = try TestRegion(start: MessageCoding.parseInstant("2026-11-20T14:00:00Z")!)
        let a = try await region.makeNode(TestRegion.manchester)
        let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
        #expect(opened.respondBy == MessageCoding.parseInstant("2026-11-24T14:00:00Z"))

        var configuration = try region.configuration(TestRegion.manchester)
        configuration.policy = PolicySettings(responseWorkingDays: 0)
        #expect(throws: RefGateError.self) { try configuration.check() }
        configuration.policy = PolicySettings(bankHolidaysFile: region.folder.file("missing.json"))
        let missing = #expect(throws: RefGateError.self) { try configuration.check() }
        #expect(missing?.detail.contains("bankHolidaysFile") == true)
        configuration.policy = PolicySettings(workingDayStart: "18:00")
        #expect(throws: RefGateError.self) { try configuration.check() }
    }

    @Test func aNodeRefusesCertificatesTheDirectoryDoesNotList() async throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.signCertificate = region.folder.file("E08000006/sign.pem")
        configuration.signKey = region.folder.file("E08000006/sign.key")
        let error = await #expect(throws: RefGateError.self) {
            try await Node.make(configuration: configuration, clock: region.clock, logger: .init(label: "t"))
        }
        #expect(error?.code == .configurationInvalid)
    }

    /// People reach the local listener from their desks, but never in clear text over a network:
    /// off loopback it needs `localTLS`, and a certificate without its key is refused.
    @Test func aLocalListenerOffLoopbackNeedsTLS() throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.localListener = .init(host: "0.0.0.0", port: 8444)
        #expect {
            try configuration.check()
        } throws: { error in
            (error as? RefGateError)?.code == .configurationInvalid
                && (error as? RefGateError)?.detail.contains("localTLS") == true
        }
        configuration.localTLS = .init()
        try configuration.check()
        configuration.localTLS = .init(certificate: "/etc/refgate/local.pem")
        #expect(throws: RefGateError.self) { try configuration.check() }
    }
}
