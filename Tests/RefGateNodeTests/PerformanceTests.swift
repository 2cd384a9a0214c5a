import Foundation
import GRDB
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import Testing

/// The regional figures from a history built step by step on a known Monday: every number is
/// the one the history makes (para 6 answer times, paras 10–13 escalation levels).
@Suite(.serialized, .timeLimit(.minutes(3))) struct PerformanceTests {
    /// Monday 2 November 2026, 09:00 in London (GMT).
    static let monday = Date(timeIntervalSince1970: 1_793_610_000)

    @Test(arguments: TestEngine.allCases) func everyFigureIsTheOneTheHistoryMakes(engine: TestEngine) async throws {
        #expect(LondonTime.date(of: Self.monday).description == "2026-11-02")
        let region = try TestRegion(start: Self.monday, engine: engine)
        let clock = region.clock
        let network = PeerNetwork()
        let manchester = try region.configuration(TestRegion.manchester)
        let (a, _) = try await region.makeEngine(configuration: manchester, network: network)
        let (b, _) = try await region.makeEngine(
            configuration: try region.configuration(TestRegion.salford), network: network)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            // 1. Manchester asks at 09:00; Salford answers at 12:00: 3 working hours.
            let first = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("first request arrives") { try await b.store.read { try $0.case(first.id) } != nil }
            clock.advance(by: 3 * 3600)
            _ = try await b.engine.commands.respond(caseID: first.id, TestRegion.verifiedBySeniorManager)
            try await eventually("first answer arrives") {
                try await a.store.read { try $0.case(first.id) }?.status == .verified
            }

            // 2. Asked at 12:00, answered vaguely at 13:00, escalated to level 1, answered at 15:00.
            let second = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("second request arrives") {
                try await b.store.read { try $0.case(second.id) } != nil
            }
            clock.advance(by: 3600)
            var vague = TestRegion.verifiedBySeniorManager
            vague.outcome = .unableToVerify
            _ = try await b.engine.commands.respond(caseID: second.id, vague)
            try await eventually("vague answer arrives") {
                try await a.store.read { try $0.case(second.id) }?.status == .unableToVerify
            }
            let raised = try await a.engine.commands.raiseEscalation(
                caseID: second.id, reason: .unsatisfactoryResponse,
                raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"), note: nil)
            try await eventually("notice arrives") { try await b.store.read { try $0.escalation(raised.id) } != nil }
            clock.advance(by: 2 * 3600)
            _ = try await b.engine.commands.respond(caseID: second.id, TestRegion.verifiedBySeniorManager)
            try await eventually("second answer arrives") {
                try await a.store.read { try $0.case(second.id) }?.status == .verified
            }
            // The chase is over, so the level is back to 0; the highest reached stays 1.
            let closed = try #require(try await a.store.read { try $0.case(second.id) })
            #expect(closed.escalationLevel == 0 && closed.highestEscalationLevel == 1)

            // 3. Salford asks Manchester at 15:00; Manchester answers at 16:30: 1.5 working hours.
            let third = try await b.engine.commands.sendRequest(TestRegion.draft(to: TestRegion.manchester))
            try await eventually("third request arrives") { try await a.store.read { try $0.case(third.id) } != nil }
            clock.advance(by: 5400)
            _ = try await a.engine.commands.respond(caseID: third.id, TestRegion.verifiedBySeniorManager)
            try await eventually("third answer arrives") {
                try await b.store.read { try $0.case(third.id) }?.status == .verified
            }
            // 4. Manchester asks again at 16:30; nobody has answered yet.
            let fourth = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("fourth request arrives") { try await b.store.read { try $0.case(fourth.id) } != nil }

            let mine = try #require(try await a.engine.queries.performance().first)
            #expect(mine.peer == TestRegion.salford)
            #expect(mine.sent == 3 && mine.received == 1 && mine.answered == 3)
            #expect(mine.theirAnswers == .init(hours: [3, 3]))
            #expect(mine.theirAnswers.answered == 2 && mine.theirAnswers.medianWorkingHours == 3)
            #expect(mine.ourAnswers.answered == 1 && mine.ourAnswers.medianWorkingHours == 1.5)
            #expect(mine.escalatedToLevel == [1, 0, 0])
            #expect(mine.rag.green == 1 && mine.rag.amber == 0 && mine.rag.red == 0)
            #expect(
                mine.csvRow
                    == "E08000006,\"Salford City Council\",3,1,3,2,3.00,3.00,1,1.50,1.50,1,0,0,1,0,0")

            // Salford's view of the same history: the directions swap, the level is the same.
            let theirs = try #require(try await b.engine.queries.performance().first)
            #expect(theirs.sent == 1 && theirs.received == 3 && theirs.answered == 3)
            #expect(theirs.theirAnswers.medianWorkingHours == 1.5 && theirs.ourAnswers.answered == 2)
            #expect(theirs.escalatedToLevel == [1, 0, 0])

            // A period counts requests made in it (London dates, both ends included).
            let day = try #require(CalendarDate("2026-11-02"))
            let sameDay = try PerformancePeriod(from: day, to: day)
            let ofTheDay = try #require(
                try await a.engine.queries.performance(from: sameDay.start, to: sameDay.end).first)
            // Ranked over the period in SQL: the same figures as over all time, which hold the same cases.
            #expect(ofTheDay == mine)
            let nextDay = try PerformancePeriod(from: day.adding(days: 1))
            #expect(try await a.engine.queries.performance(from: nextDay.start, to: nextDay.end).isEmpty)
            let dayBefore = try PerformancePeriod(to: day.adding(days: -1))
            #expect(try await a.engine.queries.performance(from: dayBefore.start, to: dayBefore.end).isEmpty)
            #expect(throws: RefGateError.self) { try PerformancePeriod(from: day, to: day.adding(days: -1)) }

            // A store from before migration v28 kept no working times: the report works them out first, once.
            if engine == .sqlite {
                let before = try await a.engine.queries.performance()
                let queue = try DatabaseQueue(path: manchester.database.description)
                try await queue.write { try $0.execute(sql: "UPDATE cases SET answer_working_seconds = NULL") }
                #expect(try await a.store.read { try $0.answerWorkingTimesMissing() } == 3)
                #expect(try await a.engine.queries.performance() == before)
                #expect(try await a.store.read { try $0.answerWorkingTimesMissing() } == 0)
            }
        }
    }
}
