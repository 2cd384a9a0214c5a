import Foundation

/// England and Wales bank holidays: computed from their rules, overridden year by year by a
/// file in the format of GOV.UK's `bank-holidays.json` (division `england-and-wales`).
///
/// Rules: New Year's Day, Good Friday, Easter Monday, early May (first Monday), spring (last
/// Monday of May), summer (last Monday of August), Christmas Day and Boxing Day, with
/// substitute weekdays when they fall at a weekend. The GOV.UK file lists every holiday of the
/// years it covers, so for any year it lists, its dates are used as they are: one-off holidays
/// (a state funeral, a coronation) are added and moved or cancelled ones (early May 2020 moved
/// to VE Day) disappear. Years it does not list come from the rules.
public struct BankHolidays: Sendable, Hashable {
    /// A holiday.
    public struct Holiday: Sendable, Hashable, Comparable {
        /// The day.
        public var date: CalendarDate
        /// Its name in the GOV.UK list, e.g. "Early May bank holiday".
        public var title: String
        /// Chronological order.
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.date < rhs.date }
    }

    private let fromFile: [Int: [Holiday]]

    /// Rules only.
    public init() { fromFile = [:] }

    /// Rules, overridden by the years a GOV.UK-format file lists.
    public init(govUKJSON data: Data) throws {
        struct File: Decodable {
            struct Division: Decodable {
                struct Event: Decodable {
                    var title: String
                    var date: String
                }
                var events: [Event]
            }
            var englandAndWales: Division?
            enum CodingKeys: String, CodingKey { case englandAndWales = "england-and-wales" }
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw RefGateError(
                .configurationInvalid, "the bank holidays file is not GOV.UK bank-holidays.json: \(error)")
        }
        guard let division = file.englandAndWales else {
            throw RefGateError(.configurationInvalid, "the bank holidays file has no \"england-and-wales\" division")
        }
        var years: [Int: [Holiday]] = [:]
        for event in division.events {
            guard let date = CalendarDate(event.date) else {
                throw RefGateError(
                    .configurationInvalid, "bank holiday \"\(event.title)\" has a bad date \(event.date)")
            }
            years[date.year, default: []].append(Holiday(date: date, title: event.title))
        }
        fromFile = years.mapValues { $0.sorted() }
    }

    /// The holidays of a year, in order.
    public func holidays(in year: Int) -> [Holiday] {
        fromFile[year] ?? Self.byRule(year)
    }

    /// Whether a date is a bank holiday.
    public func contains(_ date: CalendarDate) -> Bool {
        holidays(in: date.year).contains { $0.date == date }
    }

    /// The years the file lists.
    public var yearsFromFile: [Int] { fromFile.keys.sorted() }

    /// The rule-based holidays of a year.
    public static func byRule(_ year: Int) -> [Holiday] {
        func weekdayOnOrAfter(_ date: CalendarDate, avoiding taken: Set<CalendarDate> = []) -> CalendarDate {
            var day = date
            while day.isWeekend || taken.contains(day) { day = day.adding(days: 1) }
            return day
        }
        let easter = CalendarDate.easterSunday(year)
        let newYear = weekdayOnOrAfter(CalendarDate(year: year, month: 1, day: 1)!)
        let christmas = weekdayOnOrAfter(CalendarDate(year: year, month: 12, day: 25)!)
        let boxing = weekdayOnOrAfter(CalendarDate(year: year, month: 12, day: 26)!, avoiding: [christmas])
        return [
            Holiday(date: newYear, title: "New Year’s Day"),
            Holiday(date: easter.adding(days: -2), title: "Good Friday"),
            Holiday(date: easter.adding(days: 1), title: "Easter Monday"),
            Holiday(date: .first(weekday: 1, month: 5, year: year), title: "Early May bank holiday"),
            Holiday(date: .last(weekday: 1, month: 5, year: year), title: "Spring bank holiday"),
            Holiday(date: .last(weekday: 1, month: 8, year: year), title: "Summer bank holiday"),
            Holiday(date: christmas, title: "Christmas Day"),
            Holiday(date: boxing, title: "Boxing Day"),
        ].sorted()
    }
}
