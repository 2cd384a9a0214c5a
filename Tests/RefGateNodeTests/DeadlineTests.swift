import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import Testing

/// Deadlines with an injected clock: the scheduler escalates by itself, in working time. The
/// ladder runs on engines in process; the rest on nodes over mutual TLS.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DeadlineTests {
    /// Moves the shared clock just past `instant`.
    static func pass(_ region: TestRegion, _ instant: Date) {
        region.clock.set(instant.addingTimeInterval(1))
    }

    @Test(arguments: TestEngine.allCases) func anUnansweredRequestClimbsTheLadderToItsEnd(engine: TestEngine)
        async throws
    {
        let region = try TestRegion(engine: engine)
        let (a, b, sink) = try await EscalationTests.engines(region)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            #expect(try await a.store.read { try $0.nextDue(caseID: opened.id) } == opened.respondBy)
            // Both authorities hold the same deadline, to the millisecond.
            #expect(try await b.store.read { try $0.case(opened.id) }?.respondBy == opened.respondBy)
            #expect(try await a.store.read { try $0.case(opened.id) }?.respondBy == opened.respondBy)

            // Just before D0 nothing happens.
            region.clock.set(opened.respondBy.addingTimeInterval(-60))
            #expect(try await a.scheduler.tick() == 0)

            // D0 missed → level 1 to service managers (para 11).
            Self.pass(region, opened.respondBy)
            #expect(try await a.scheduler.tick() == 1)
            #expect(try await a.scheduler.tick() == 0, "a second tick escalates nothing")
            let l1 = try #require(try await a.store.read { try $0.escalations(caseID: opened.id) }.first)
            #expect(l1.level == 1 && l1.reason == .responseOverdue && l1.raisedBy.name == "refgate")
            #expect(l1.dueAt == a.engine.policy.calendar.adding(workingDays: 2, to: region.clock.now()))
            try await eventually("L1 notice reaches Salford's service managers") {
                let arrived = try await b.store.read { try $0.escalation(l1.id) } != nil
                let mailed = sink.mails(to: EscalationTests.salfordSMs[0]).contains {
                    $0.body.contains("response-overdue")
                }
                return arrived && mailed
            }
            #expect(try await b.store.read { try $0.escalation(l1.id) }?.dueAt == l1.dueAt)

            // L1 missed → level 2 to heads of service (para 13).
            Self.pass(region, l1.dueAt)
            #expect(try await a.scheduler.tick() == 1)
            let l2 = try #require(
                try await a.store.read { try $0.escalations(caseID: opened.id) }.first { $0.level == 2 })
            #expect(l2.reason == .levelOneOverdue && l2.role == .headOfService)
            #expect(l2.dueAt == a.engine.policy.calendar.adding(workingDays: 3, to: region.clock.now()))
            try await eventually("L2 notice reaches Salford's head of service") {
                let arrived = try await b.store.read { try $0.escalation(l2.id) } != nil
                let mailed = sink.mails(to: EscalationTests.salfordHoS).contains {
                    $0.body.contains("level-1-overdue")
                }
                return arrived && mailed
            }

            // L2 missed → the ladder is spent, on both sides (para 14).
            Self.pass(region, l2.dueAt)
            #expect(try await a.scheduler.tick() == 1)
            #expect(try await b.scheduler.tick() >= 1)
            #expect(try await a.store.read { try $0.case(opened.id) }?.escalationLevel == EscalationRules.exhausted)
            #expect(try await b.store.read { try $0.case(opened.id) }?.escalationLevel == EscalationRules.exhausted)
            #expect(try await a.store.read { try $0.nextDue(caseID: opened.id) } == nil)
            try await eventually("heads of service and operators on both sides are told") {
                let told = [
                    EscalationTests.manchesterHoS, EscalationTests.manchesterOps, EscalationTests.salfordHoS,
                    EscalationTests.salfordOps,
                ].allSatisfy { address in sink.mails(to: address).contains { $0.subject.hasPrefix("Ladder spent") }
                }
                return told
            }
            let spent = try #require(
                sink.mails(to: EscalationTests.manchesterOps).first { $0.subject.hasPrefix("Ladder spent") })
            #expect(spent.body.contains("Paragraph 14"))
            #expect(try await a.scheduler.tick() == 0)
            #expect(try await a.store.read { try $0.escalations(caseID: opened.id) }.count == 2)
            #expect(try await b.store.read { try $0.escalations(caseID: opened.id) }.count == 2)
        }
    }

    @Test(arguments: TestEngine.allCases) func remindersStopWhenAcknowledgedAndALateAnswerResolvesEverything(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let (a, b, sink) = try await EscalationTests.engines(region)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            Self.pass(region, opened.respondBy)
            #expect(try await a.scheduler.tick() == 1)
            let l1 = try #require(try await a.store.read { try $0.escalations(caseID: opened.id) }.first)
            try await eventually("notice arrives") { try await b.store.read { try $0.escalation(l1.id) } != nil }

            func reminders() throws -> Int {
                sink.mails(to: EscalationTests.salfordSMs[1]).filter { $0.subject.hasPrefix("Reminder") }.count
            }
            let calendar = b.engine.policy.calendar
            // Nobody acknowledges: a reminder every 4 working hours.
            for expected in 1...2 {
                let next = try #require(try await b.store.read { try $0.escalation(l1.id) }?.nextReminderAt)
                Self.pass(region, next)
                #expect(try await b.scheduler.tick() == 1)
                try await eventually("reminder \(expected) e-mailed") { try reminders() == expected }
                let following = try await b.store.read { try $0.escalation(l1.id) }?.nextReminderAt
                #expect(following == calendar.adding(workingHours: 4, to: region.clock.now()))
            }
            _ = try await b.engine.commands.acknowledge(
                escalationID: l1.id, by: Person(name: "Lee Chan", role: "Service Manager"), as: nil)
            Self.pass(region, calendar.adding(workingHours: 8, to: region.clock.now()))
            _ = try await b.scheduler.tick()
            #expect(try reminders() == 2, "acknowledgement stops reminders")

            // A late answer at level 1 resolves the case and closes everything on both sides.
            _ = try await b.engine.commands.respond(caseID: opened.id, TestRegion.verifiedBySeniorManager)
            try await eventually("resolved on both sides") {
                let left = try await a.store.read { try $0.case(opened.id) }
                let right = try await b.store.read { try $0.escalation(l1.id) }
                return left?.status == .verified && left?.escalationLevel == 0 && right?.closedAt != nil
            }
            #expect(try await a.store.read { try $0.nextDue(caseID: opened.id) } == nil)
            #expect(try await b.store.read { try $0.nextDue(caseID: opened.id) } == nil)
            Self.pass(region, calendar.adding(workingDays: 10, to: region.clock.now()))
            let left = try await a.scheduler.tick()
            let right = try await b.scheduler.tick()
            #expect(left == 0 && right == 0, "nothing left to escalate")
        }
    }

    /// Deadline passed, escalation committed, notice not yet sent — then the node stops
    /// (the peer is down). After a restart: exactly one escalation, delivered once.
    @Test(arguments: TestEngine.allCases) func aRestartBetweenDeadlineAndDeliveryEscalatesExactlyOnce(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let opened = try await {
            let a = try await region.makeNode(TestRegion.manchester)
            let b = try await region.makeNode(TestRegion.salford)
            return try await withRunning([a, b], scheduler: .manual) {
                let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
                try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
                return opened
            }
        }()
        Self.pass(region, opened.respondBy)
        let noticeID = try await {
            let a = try await region.makeNode(TestRegion.manchester)
            return try await withRunning([a], scheduler: .manual) {
                #expect(try await a.scheduler.tick() == 1)
                let escalation = try #require(try await a.store.read { try $0.escalations(caseID: opened.id) }.first)
                try await eventually("a failed delivery attempt") {
                    (try await a.outbox(escalation.noticeMessageID)?.attempts ?? 0) >= 1
                }
                #expect(try await a.outbox(escalation.noticeMessageID)?.state == .pending)
                return escalation.noticeMessageID
            }
        }()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b], scheduler: .manual) {
            #expect(try await a.scheduler.tick() == 0, "the restart does not escalate again")
            try await eventually("the pending notice is delivered") {
                region.clock.advance(by: 1)
                return try await a.outbox(noticeID)?.state == .delivered
            }
            #expect(try await a.store.read { try $0.escalations(caseID: opened.id) }.count == 1)
            #expect(try await b.store.read { try $0.escalations(caseID: opened.id) }.count == 1)
            #expect(
                try await b.store.read { try $0.messages(caseID: opened.id) }.filter { $0.kind == .escalationNotice }
                    .count == 1)
        }
    }
}
