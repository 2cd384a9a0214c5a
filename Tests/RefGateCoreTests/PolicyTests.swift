import Foundation
import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct PolicyTests {
    static func at(_ text: String) -> Date { MessageCoding.parseInstant(text)! }

    @Test func respondByIsTwoWorkingDaysByDefault() throws {
        let policy = try Policy(calendar: WorkingCalendar())
        // Thursday before Christmas 2026: Fri 25th and Mon 28th are bank holidays.
        #expect(policy.respondBy(sentAt: Self.at("2026-12-24T11:00:00Z")) == Self.at("2026-12-30T11:00:00Z"))
        #expect(policy.respondBy(sentAt: Self.at("2026-11-23T15:00:00Z")) == Self.at("2026-11-25T15:00:00Z"))
    }

    @Test(arguments: [
        ("2026-11-25T15:00:00Z", RAGStatus.green),  // two working days out
        ("2026-11-24T15:00:00Z", .amber),  // exactly one working day: within the threshold
        ("2026-11-23T16:59:00Z", .amber),
        ("2026-11-23T15:00:00Z", .red),  // due now
        ("2026-11-20T15:00:00Z", .red),
    ])
    func ragRatesDeadlines(due: String, expected: RAGStatus) throws {
        let policy = try Policy(calendar: WorkingCalendar())
        #expect(policy.rag(due: Self.at(due), now: Self.at("2026-11-23T15:00:00Z")) == expected)
    }

    @Test func amberCountsWorkingTimeNotCalendarTime() throws {
        let policy = try Policy(calendar: WorkingCalendar())
        // Friday 16:00 to Monday 16:00 is one working day (1 h Friday + 7 h Monday): amber.
        #expect(policy.rag(due: Self.at("2026-11-23T16:00:00Z"), now: Self.at("2026-11-20T16:00:00Z")) == .amber)
        #expect(policy.rag(due: Self.at("2026-11-24T16:00:00Z"), now: Self.at("2026-11-20T16:00:00Z")) == .green)
    }

    @Test func nonsensicalWindowsAreRefused() throws {
        let calendar = try WorkingCalendar()
        #expect(throws: RefGateError.self) { try Policy(calendar: calendar, responseWorkingDays: 0) }
        #expect(throws: RefGateError.self) { try Policy(calendar: calendar, level2WorkingDays: -1) }
        #expect(throws: RefGateError.self) { try Policy(calendar: calendar, reminderWorkingHours: .infinity) }
    }
}
