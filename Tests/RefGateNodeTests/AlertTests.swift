import Foundation
import HTTPTypes
import RefGateCore
import RefGateStore
import Testing

@testable import RefGateNode

/// Everyone is told when work arrives and when it ends (para 6's urgency): the responders who
/// may answer, the requester and recruiters, the owers of a near deadline; each person can
/// turn their own alerts off.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AlertTests {
    static func alerts(_ node: NodeEngine, _ event: String) async throws -> [String] {
        try await node.store.read { try $0.notifications() }.filter { $0.event == event }.map(\.target)
    }

    @Test func requestAnswerClearanceAndNearDeadlinesReachThePeopleWhoOweThem() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        let recruiter = try await a.engine.accounts.add(
            name: "Jordan Ellis", email: "jordan@manchester.example", role: .recruiter, by: nil)
        _ = try await b.engine.accounts.add(
            name: "Pat Lowe", email: "pat@salford.example", role: .responder, seniority: .teamManager, by: nil)
        _ = try await b.engine.accounts.add(
            name: "Sam Okafor", email: "sam@salford.example", role: .responder, seniority: .serviceManager, by: nil)
        let quiet = try await b.engine.accounts.add(
            name: "Kim Noone", email: "kim@salford.example", role: .responder, seniority: .headOfService, by: nil)
        let api = IdentityTests.API(b)
        let muted = try await api.call(.put, "/me/alerts", token: quiet.token, body: #"{"off":["request-arrived"]}"#)
        #expect(muted.0 == .ok)
        let settings = try MessageCoding.decoder().decode([AlertSetting].self, from: muted.1)
        #expect(settings.filter { !$0.on }.map(\.event) == [.requestArrived])
        let node = try await api.call(.get, "/me/alerts", token: "node-token-for-tests")
        #expect(node.0 == .badRequest)

        try await withRunning(engines: [a, b], scheduler: .manual) {
            // A team manager's reference: only responders who may answer it (para 5) are told.
            var draft = TestRegion.draft(role: .teamManager)
            draft.requester = nil
            let opened = try await a.engine.commands.sendRequest(draft, idempotencyKey: nil, by: .user(recruiter.user))
                .record
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            #expect(try await Self.alerts(b, "request-arrived") == ["sam@salford.example"])
            let mail = try #require(
                try await b.store.read { try $0.notifications() }.first { $0.event == "request-arrived" })
            #expect(mail.body.contains("service-manager or more senior") && mail.body.contains("working hours"))

            // The answer: the requester (from the signed request) and the recruiters.
            _ = try await b.engine.commands.respond(caseID: opened.id, TestRegion.verifiedBySeniorManager)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .verified
            }
            #expect(try await Self.alerts(a, "answer-arrived") == ["jordan@manchester.example"])
            #expect(try await Self.alerts(a, "candidate-cleared").isEmpty, "the checklist is not done yet")
            _ = try await a.engine.commands.recordChecklist(
                registration: "SW104522",
                .init(dbsReviewed: true, permanentEmployerReferences: true, employmentGapsChallenged: true),
                recordedBy: nil, by: .user(recruiter.user))
            #expect(try await Self.alerts(a, "candidate-cleared") == ["jordan@manchester.example"])

            // A second request nears its deadline: the responders who owe it, once.
            let second = try await a.engine.commands.sendRequest(TestRegion.draft(role: .qualifiedSocialWorker))
            try await eventually("second arrives") { try await b.store.read { try $0.case(second.id) } != nil }
            region.clock.set(second.respondBy.addingTimeInterval(-3600))
            #expect(
                try await b.engine.deadlines.alertDeadlinesNear(try await b.engine.queries.outstanding().items) == 1)
            #expect(
                try await b.engine.deadlines.alertDeadlinesNear(try await b.engine.queries.outstanding().items) == 0)
            let near = try await Self.alerts(b, "deadline-near-level-0")
            #expect(near == ["kim@salford.example,pat@salford.example,sam@salford.example"], "users by name")
        }
    }

    @Test func aFalseReferenceTellsTheRecruitersTheCandidateIsBlocked() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        _ = try await a.engine.accounts.add(
            name: "Jordan Ellis", email: "jordan@manchester.example", role: .recruiter, by: nil)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            var falseReference = TestRegion.verifiedBySeniorManager
            falseReference.outcome = .notVerified
            _ = try await b.engine.commands.respond(caseID: opened.id, falseReference)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .notVerified
            }
            // The requester named by the node's token, and the recruiter.
            #expect(
                try await Self.alerts(a, "answer-arrived")
                    == ["jordan.ellis@manchester.example,jordan@manchester.example"])
            #expect(try await Self.alerts(a, "candidate-blocked") == ["jordan@manchester.example"])
        }
    }
}
