import Foundation
import HTTPTypes
import RefGateCore
import RefGateStore
import Testing

@testable import RefGateNode

/// Paras 12 and 14: every concern brings the standards reminder once per case and level, and
/// a head of service records what was decided when the ladder is spent, and may hold the case.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ConcernTests {
    @Test func theLadderBringsOneReminderPerLevelAndEndsInAHeadOfServicesDecision() async throws {
        let region = try TestRegion()
        let network = PeerNetwork()
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.notifications = .init(
            smtp: .init(host: "127.0.0.1", port: 1, security: .starttls, from: "refgate@manchester.example"),
            standardsReminderAddress: "practitioners@manchester.example")
        let (a, mail) = try await region.makeEngine(configuration: configuration, network: network)
        let (b, _) = try await region.makeEngine(
            configuration: try region.configuration(TestRegion.salford), network: network)
        let head = try await a.engine.accounts.add(
            name: "Ruth Bell", email: "ruth@manchester.example", role: .headOfService, jobTitle: "Assistant director",
            by: nil)
        let api = IdentityTests.API(a)
        _ = mail
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            // No decision while nothing is wrong.
            let early = try await api.call(
                .post, "/cases/\(opened.id)/decisions", token: head.token,
                body: #"{"decision":"no-further-action","reason":"Nothing yet"}"#)
            #expect(early.0 == .conflict && IdentityTests.code(early.1) == "invalid-transition")

            // D0, L1 and L2 pass unanswered: levels 1, 2 and the spent ladder (paras 11, 13, 14).
            DeadlineTests.pass(region, opened.respondBy)
            #expect(try await a.scheduler.tick() == 1)
            let l1 = try #require(try await a.store.read { try $0.escalations(caseID: opened.id) }.first)
            DeadlineTests.pass(region, l1.dueAt)
            #expect(try await a.scheduler.tick() == 1)
            let l2 = try #require(
                try await a.store.read { try $0.escalations(caseID: opened.id) }.first { $0.level == 2 })
            DeadlineTests.pass(region, l2.dueAt)
            #expect(try await a.scheduler.tick() == 1)
            #expect(try await a.store.read { try $0.case(opened.id) }?.escalationLevel == EscalationRules.exhausted)
            // Reminders are sent at each scheduler pass that meets them again; one per level.
            for _ in 0..<3 { _ = try await a.scheduler.tick() }
            let reminders = try await a.store.read { try $0.notifications(caseID: opened.id) }
                .filter { $0.event.hasPrefix("standards-reminder") }.map(\.event)
            #expect(reminders.sorted() == ["standards-reminder-level-1", "standards-reminder-level-2"])

            // Para 14: the head of service decides; who is the signed-in user.
            let typed = try await api.call(
                .post, "/cases/\(opened.id)/decisions", token: head.token,
                body: #"{"decision":"referred-to-regulator","reason":"x","decidedBy":{"name":"CEO","role":"ceo"}}"#)
            #expect(typed.0 == .badRequest && IdentityTests.code(typed.1) == "identity-from-sign-in")
            let decided = try await api.call(
                .post, "/cases/\(opened.id)/decisions", token: head.token,
                body:
                    #"{"decision":"referred-to-regulator","reason":"No answer after both levels; referee unverifiable."}"#
            )
            #expect(decided.0 == .created)
            let hold = try await api.call(
                .post, "/cases/\(opened.id)/legal-hold", token: head.token,
                body: #"{"reason":"Social Work England referral pending"}"#)
            #expect(hold.0 == .ok)
            let detail = try await a.engine.queries.detail(caseID: opened.id)
            #expect(detail.decisions.map(\.decision) == [.referredToRegulator])
            #expect(detail.decisions.first?.decidedBy == Person(name: "Ruth Bell", role: "Assistant director"))
            #expect(detail.legalHold?.setByUser == head.user.id)
            let entry = try #require(detail.timeline.first { $0.action == .caseDecided })
            #expect(entry.actor?.user == head.user.id && entry.detail?["decision"] == "referred-to-regulator")
            #expect(detail.timeline.contains { $0.action == .legalHoldSet })

            // Heads of service export the case's evidence (and lift the hold).
            let evidence = try await api.call(.get, "/cases/\(opened.id)/evidence", token: head.token)
            #expect(evidence.0 == .ok && evidence.1.starts(with: Data("PK".utf8)))
            let exported = try await a.engine.queries.detail(caseID: opened.id).timeline.last {
                $0.action == .evidenceExported
            }
            #expect(exported?.actor?.user == head.user.id, "the export names who took it")
            let subject = try await a.engine.personalData.subjectExport(registration: "SW104522")
            #expect(subject.cases.flatMap(\.decisions).map(\.decision) == [.referredToRegulator])
            let lifted = try await api.call(.post, "/cases/\(opened.id)/legal-hold/release", token: head.token)
            #expect(lifted.0 == .ok)
            let again = try await api.call(.post, "/cases/\(opened.id)/legal-hold/release", token: head.token)
            #expect(again.0 == .conflict)
        }
    }
}
