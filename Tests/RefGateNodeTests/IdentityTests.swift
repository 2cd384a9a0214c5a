import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RefGateCore
import RefGateStore
import Testing

@testable import RefGateNode

/// Who acted is who signed in: names and levels in signed messages and in the audit log come
/// from the user's record, never from the request body (issue: the people, end to end).
@Suite(.serialized, .timeLimit(.minutes(3))) struct IdentityTests {
    /// A router over `node`'s local API, and a call helper for one user's token.
    struct API {
        let app: Application<RouterResponder<LocalRequestContext>>

        init(_ node: NodeEngine) {
            let api = LocalAPI(
                engine: node.engine, token: "node-token-for-tests",
                status: { throw RefGateError(.notFound, "not in this test") },
                installDirectory: { _ in throw RefGateError(.directoryInvalid, "not in this test") })
            app = Application(router: api.router())
        }

        func call(_ method: HTTPRequest.Method, _ path: String, token: String, body: String = "{}") async throws
            -> (HTTPResponse.Status, Data)
        {
            try await app.test(.router) { client in
                let response = try await client.execute(
                    uri: "/api/v1" + path, method: method,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: body))
                return (response.status, Data(buffer: response.body))
            }
        }
    }

    static func code(_ data: Data) -> String? {
        (try? JSONDecoder().decode(ProblemDetails.self, from: data))?.code
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try MessageCoding.encoder().encode(value), as: UTF8.self)
    }

    @Test func signedMessagesAndTheLogNameTheSignedInUserAtTheirRecordedLevel() async throws {
        let region = try TestRegion()
        let network = PeerNetwork()
        var salford = try region.configuration(TestRegion.salford)
        salford.jobTitles = ["Principal Social Worker": .teamManager, "Group manager": .serviceManager]
        let (a, _) = try await region.makeEngine(
            configuration: try region.configuration(TestRegion.manchester), network: network)
        let (b, _) = try await region.makeEngine(configuration: salford, network: network)
        let recruiter = try await a.engine.accounts.add(
            name: "Jordan Ellis", email: "jordan@manchester.example", role: .recruiter,
            jobTitle: "Recruitment officer", by: nil)
        let principal = try await b.engine.accounts.add(
            name: "Pat Lowe", email: "pat@salford.example", role: .responder, jobTitle: "principal social worker ",
            by: nil)
        #expect(principal.user.seniority == .teamManager && principal.user.jobTitle == "principal social worker")
        let groupManager = try await b.engine.accounts.add(
            name: "Sam Okafor", email: "sam@salford.example", role: .responder, jobTitle: "Group Manager", by: nil)
        #expect(groupManager.user.seniority == .serviceManager)
        let untitled = try await b.engine.accounts.add(
            name: "Kim Noone", email: "kim@salford.example", role: .responder, by: nil)
        let serviceManager = try await b.engine.accounts.add(
            name: "Lee Chan", email: "lee@salford.example", role: .serviceManager, by: nil)
        // A level below what the role implies is refused.
        await #expect(throws: RefGateError.self) {
            try await b.engine.accounts.add(
                name: "X", email: "x@salford.example", role: .headOfService, seniority: .teamManager, by: nil)
        }
        let apiA = API(a)
        let apiB = API(b)

        try await withRunning(engines: [a, b], scheduler: .manual) {
            // A recruiter who types a requester is refused; without one, they are the requester.
            var draft = TestRegion.draft(role: .teamManager)
            let named = try await apiA.call(.post, "/requests", token: recruiter.token, body: try Self.json(draft))
            #expect(named.0 == .badRequest && Self.code(named.1) == "identity-from-sign-in")
            draft.requester = nil
            let sent = try await apiA.call(.post, "/requests", token: recruiter.token, body: try Self.json(draft))
            #expect(sent.0 == .created)
            let opened = try MessageCoding.decoder().decode(CaseView.self, from: sent.1)
            let request = try #require(try await a.engine.queries.detail(caseID: opened.id).request)
            #expect(
                request.requester
                    == .init(name: "Jordan Ellis", role: "Recruitment officer", email: "jordan@manchester.example"))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }

            // The invented director of the issue: refused, and nothing is sent.
            let director =
                #"{"outcome":"verified","findings":{"authoredByReferee":true,"refereeActualRole":"Service Manager","placementDatesConfirmed":true},"responder":{"name":"Director of Children's Services","role":"director"}}"#
            let impostor = try await apiB.call(
                .post, "/cases/\(opened.id)/response", token: principal.token, body: director)
            #expect(impostor.0 == .badRequest && Self.code(impostor.1) == "identity-from-sign-in")
            let answer =
                #"{"outcome":"verified","findings":{"authoredByReferee":true,"refereeActualRole":"Service Manager","placementDatesConfirmed":true,"refereePosition":"service-manager"}}"#
            // A team-manager reference needs a service manager or above (para 5), by the record.
            let junior = try await apiB.call(
                .post, "/cases/\(opened.id)/response", token: principal.token, body: answer)
            #expect(junior.0 == .unprocessableContent && Self.code(junior.1) == "responder-not-senior-enough")
            let unknown = try await apiB.call(
                .post, "/cases/\(opened.id)/response", token: untitled.token, body: answer)
            #expect(unknown.0 == .unprocessableContent && Self.code(unknown.1) == "responder-not-senior-enough")
            // A service manager answers only a case escalated to them.
            let early = try await apiB.call(
                .post, "/cases/\(opened.id)/response", token: serviceManager.token, body: answer)
            #expect(early.0 == .forbidden && Self.code(early.1) == "role-forbidden")
            #expect(try await b.store.read { try $0.case(opened.id) }?.status == .awaitingResponse)

            let answered = try await apiB.call(
                .post, "/cases/\(opened.id)/response", token: groupManager.token, body: answer)
            #expect(answered.0 == .ok)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .verified
            }
            let response = try #require(try await a.engine.queries.detail(caseID: opened.id).response)
            #expect(response.responder == .init(name: "Sam Okafor", role: .serviceManager))

            // The log names the accounts that acted.
            let mine = try await a.engine.queries.detail(caseID: opened.id).timeline
            let requested = try #require(mine.first { $0.action == .requestSent })
            #expect(requested.actor == AuditActor(name: "Jordan Ellis", role: "recruiter", user: recruiter.user.id))
            let theirs = try await b.engine.queries.detail(caseID: opened.id).timeline
            let responded = try #require(theirs.first { $0.action == .responseSent })
            #expect(responded.actor == AuditActor(name: "Sam Okafor", role: "responder", user: groupManager.user.id))
        }
    }

    @Test func aServiceManagerAnswersACaseEscalatedToThem() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        let serviceManager = try await b.engine.accounts.add(
            name: "Lee Chan", email: "lee@salford.example", role: .serviceManager, jobTitle: "Group manager",
            by: nil)
        let apiB = API(b)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .teamManager))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            // The deadline passes: level 1 goes to Salford's service managers (para 11).
            DeadlineTests.pass(region, opened.respondBy)
            #expect(try await a.scheduler.tick() == 1)
            try await eventually("the notice arrives") {
                try await b.store.read { try $0.case(opened.id) }?.escalationLevel == 1
            }
            let answer =
                #"{"outcome":"verified","findings":{"authoredByReferee":true,"refereeActualRole":"Service Manager","placementDatesConfirmed":true,"refereePosition":"service-manager"}}"#
            let answered = try await apiB.call(
                .post, "/cases/\(opened.id)/response", token: serviceManager.token, body: answer)
            #expect(answered.0 == .ok, "\(String(decoding: answered.1, as: UTF8.self))")
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .verified
            }
            let response = try #require(try await a.engine.queries.detail(caseID: opened.id).response)
            #expect(response.responder == .init(name: "Lee Chan", role: .serviceManager))
        }
    }

    @Test func theAdministratorSetsAJobTitleAndItsLevel() async throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.salford)
        configuration.jobTitles = ["Assistant director": .headOfService]
        let (b, _) = try await region.makeEngine(configuration: configuration, network: PeerNetwork())
        let user = try await b.engine.accounts.add(
            name: "Dana Reid", email: "dana@salford.example", role: .responder, by: nil)
        #expect(user.user.seniority == nil)
        let api = API(b)
        let admin = "node-token-for-tests"
        let (status, body) = try await api.call(
            .patch, "/users/\(user.user.id)", token: admin, body: #"{"jobTitle":"Assistant Director"}"#)
        #expect(status == .ok)
        let updated = try MessageCoding.decoder().decode(UserView.self, from: body)
        #expect(updated.jobTitle == "Assistant Director" && updated.seniority == .headOfService)
        let empty = try await api.call(.patch, "/users/\(user.user.id)", token: admin, body: "{}")
        #expect(empty.0 == .badRequest)
        let entries = try await b.store.read { try $0.auditRows() }.map { try AuditEntry.decode($0.entry) }
        #expect(entries.contains { $0.action == .userUpdated && $0.detail?["seniority"] == "head-of-service" })
    }
}
