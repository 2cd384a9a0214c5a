import Foundation
import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct BankHolidayTests {
    /// GOV.UK's published England and Wales dates, reproduced by the rules alone.
    @Test(arguments: [
        (
            2019,
            [
                "2019-01-01", "2019-04-19", "2019-04-22", "2019-05-06", "2019-05-27", "2019-08-26", "2019-12-25",
                "2019-12-26",
            ]
        ),
        (
            2021,
            [
                "2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27",
                "2021-12-28",
            ]
        ),
        (
            2023,
            [
                "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-29", "2023-08-28", "2023-12-25",
                "2023-12-26",
            ]
        ),
        (
            2024,
            [
                "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
                "2024-12-26",
            ]
        ),
        (
            2025,
            [
                "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25",
                "2025-12-26",
            ]
        ),
        (
            2026,
            [
                "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
                "2026-12-28",
            ]
        ),
        (
            2027,
            [
                "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
                "2027-12-28",
            ]
        ),
        (
            2028,
            [
                "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25",
                "2028-12-26",
            ]
        ),
    ])
    func rulesMatchPublishedDates(year: Int, expected: [String]) {
        #expect(BankHolidays.byRule(year).map(\.date.description) == expected)
    }

    @Test(arguments: [
        (2008, "2008-03-23"), (2011, "2011-04-24"), (2019, "2019-04-21"), (2024, "2024-03-31"),
        (2025, "2025-04-20"), (2026, "2026-04-05"), (2038, "2038-04-25"), (2285, "2285-03-22"),
    ])
    func easter(year: Int, date: String) {
        #expect(CalendarDate.easterSunday(year).description == date)
    }

    /// The file wins for the years it lists: 2020's early May moved to VE Day (the rule's
    /// 4 May is cancelled), 2022's jubilee and state funeral are added; other years use rules.
    @Test func aGovUKFileAddsOneOffsAndCancellations() throws {
        let data = try Data(
            contentsOf: try #require(Bundle.module.url(forResource: "bank-holidays-2020-2022", withExtension: "json")))
        let holidays = try BankHolidays(govUKJSON: data)
        #expect(holidays.yearsFromFile == [2020, 2022])
        #expect(holidays.contains(CalendarDate("2020-05-08")!))
        #expect(!holidays.contains(CalendarDate("2020-05-04")!), "cancelled: moved to VE Day")
        #expect(holidays.contains(CalendarDate("2022-09-19")!), "one-off: state funeral")
        #expect(holidays.contains(CalendarDate("2022-06-03")!))
        #expect(!holidays.contains(CalendarDate("2022-05-30")!), "spring holiday moved to 2 June")
        #expect(holidays.holidays(in: 2026) == BankHolidays.byRule(2026))
        #expect(holidays.holidays(in: 2022).count == 10)
    }

    @Test func aFileWithoutEnglandAndWalesIsRefused() {
        #expect(throws: RefGateError.self) { try BankHolidays(govUKJSON: Data(#"{"scotland":{"events":[]}}"#.utf8)) }
        #expect(throws: RefGateError.self) { try BankHolidays(govUKJSON: Data("[]".utf8)) }
        #expect(throws: RefGateError.self) {
            try BankHolidays(
                govUKJSON: Data(#"{"england-and-wales":{"events":[{"title":"x","date":"2026-02-30"}]}}"#.utf8))
        }
    }

    @Test func civilDateArithmeticRoundTrips() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CalendarDate("1970-01-01")!.isoWeekday == 4)
        #expect(CalendarDate("2026-11-22")!.isoWeekday == 7)
        #expect(CalendarDate("2000-02-29")!.adding(days: 366).description == "2001-03-01")
    }
}

@Suite(.timeLimit(.minutes(2))) struct LondonTimeTests {
    /// The hand-written BST rule agrees with the system's tzdata, around every change.
    @Test func offsetsMatchTzdata() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let start = MessageCoding.parseInstant("2015-01-01T00:30:00Z")!
        for hour in stride(from: 0, to: 24 * 366 * 21, by: 7) {
            let instant = start.addingTimeInterval(Double(hour) * 3600)
            #expect(LondonTime.offset(at: instant) == london.secondsFromGMT(for: instant), "\(instant)")
        }
    }

    @Test func wallTimesBecomeUTC() {
        #expect(
            LondonTime.instant(on: CalendarDate("2026-07-01")!, secondsAfterMidnight: 9 * 3600)
                == MessageCoding.parseInstant("2026-07-01T08:00:00Z"))
        #expect(
            LondonTime.instant(on: CalendarDate("2026-12-01")!, secondsAfterMidnight: 9 * 3600)
                == MessageCoding.parseInstant("2026-12-01T09:00:00Z"))
        // Midnight on the day the clocks go back is still BST (the change is at 02:00 BST).
        #expect(
            LondonTime.instant(on: CalendarDate("2026-10-25")!, secondsAfterMidnight: 0)
                == MessageCoding.parseInstant("2026-10-24T23:00:00Z"))
    }
}

@Suite(.timeLimit(.minutes(2))) struct WorkingCalendarTests {
    let calendar = try! WorkingCalendar()

    static func at(_ text: String) -> Date { MessageCoding.parseInstant(text)! }

    @Test(arguments: [
        // in hours: same time two working days later
        ("2026-11-23T15:00:00Z", 2.0, "2026-11-25T15:00:00Z"),
        // a Saturday: counting starts Monday 09:00
        ("2026-11-21T10:00:00Z", 2.0, "2026-11-24T17:00:00Z"),
        // after hours on Friday
        ("2026-11-20T18:30:00Z", 1.0, "2026-11-23T17:00:00Z"),
        // Christmas: Thu 24th 16:00 → Fri 25th and Mon 28th (Boxing Day substitute) are holidays
        ("2026-12-24T16:00:00Z", 1.0, "2026-12-29T16:00:00Z"),
        // Easter: Thu 2 April 16:00 BST, then Good Friday and Easter Monday
        ("2026-04-02T15:00:00Z", 0.25, "2026-04-07T09:00:00Z"),
        // clocks go forward over the weekend: Fri 16:00 GMT + 2h = Mon 10:00 BST
        ("2026-03-27T16:00:00Z", 0.25, "2026-03-30T09:00:00Z"),
        // clocks go back: Fri 16:00 BST + 2h = Mon 10:00 GMT
        ("2026-10-23T15:00:00Z", 0.25, "2026-10-26T10:00:00Z"),
        // exactly at the end of the day
        ("2026-11-23T17:00:00Z", 0.5, "2026-11-24T13:00:00Z"),
        ("2026-11-23T12:00:00Z", 0.0, "2026-11-23T12:00:00Z"),
    ])
    func addingWorkingDays(from: String, days: Double, expected: String) {
        #expect(calendar.adding(workingDays: days, to: Self.at(from)) == Self.at(expected))
    }

    @Test func workingTimeBetweenInstants() {
        let week = calendar.workingTime(from: Self.at("2026-11-16T09:00:00Z"), to: Self.at("2026-11-23T09:00:00Z"))
        #expect(week == 40 * 3600)
        let christmasWeek = calendar.workingTime(
            from: Self.at("2026-12-21T00:00:00Z"), to: Self.at("2027-01-04T00:00:00Z"))
        // 10 weekdays minus 25 Dec, 28 Dec and 1 Jan
        #expect(christmasWeek == 7 * 8 * 3600)
        #expect(
            calendar.workingTime(from: Self.at("2026-11-23T10:00:00Z"), to: Self.at("2026-11-23T09:00:00Z")) == -3600)
    }

    @Test func addingThenMeasuringAgrees() {
        var instant = Self.at("2026-01-01T00:00:00Z")
        for step in 0..<400 {
            let hours = Double(step % 23) * 0.75
            let later = calendar.adding(workingHours: hours, to: instant)
            #expect(
                abs(calendar.workingTime(from: instant, to: later) - hours * 3600) < 0.001, "\(instant) + \(hours)h")
            instant = instant.addingTimeInterval(37 * 3600 + 1234)
        }
    }

    @Test func customHoursAndBadHours() throws {
        let early = try WorkingCalendar(dayStart: "08:30", dayEnd: "16:30")
        #expect(early.adding(workingHours: 1, to: Self.at("2026-11-23T08:00:00Z")) == Self.at("2026-11-23T09:30:00Z"))
        #expect(throws: RefGateError.self) { try WorkingCalendar(dayStart: "17:00", dayEnd: "09:00") }
        #expect(throws: RefGateError.self) { try WorkingCalendar(dayStart: "9am", dayEnd: "17:00") }
    }
}
