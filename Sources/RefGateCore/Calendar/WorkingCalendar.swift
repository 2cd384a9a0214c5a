import Foundation

/// Working time of an authority: Europe/London, Monday to Friday, working hours (default
/// 09:00–17:00), minus England and Wales bank holidays. Deadlines are counted in it.
///
/// A working day is one working-day length of working time, so "2 working days" from Monday
/// 15:00 is Wednesday 15:00, and from Saturday it is Tuesday 17:00 (counting starts at Monday
/// 09:00). Instants are UTC; clock changes are handled by `LondonTime`.
public struct WorkingCalendar: Sendable, Hashable {
    /// Start of the working day, seconds after local midnight.
    public let dayStart: Int
    /// End of the working day, seconds after local midnight.
    public let dayEnd: Int
    /// Bank holidays.
    public let holidays: BankHolidays

    /// The working day's default start, local time.
    public static let defaultDayStart = "09:00"
    /// The working day's default end, local time.
    public static let defaultDayEnd = "17:00"

    /// Creates a calendar; hours are `HH:MM` local times.
    public init(
        dayStart: String = defaultDayStart, dayEnd: String = defaultDayEnd, holidays: BankHolidays = BankHolidays()
    ) throws {
        guard let start = Self.seconds(dayStart), let end = Self.seconds(dayEnd), start < end else {
            throw RefGateError(
                .configurationInvalid, "working hours must be HH:MM with start before end, not \(dayStart)–\(dayEnd)")
        }
        self.dayStart = start
        self.dayEnd = end
        self.holidays = holidays
    }

    static func seconds(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 24 * 60
        else { return nil }
        return (h * 60 + m) * 60
    }

    /// Working time in one working day.
    public var workingDay: TimeInterval { TimeInterval(dayEnd - dayStart) }

    /// Whether a civil date is a working day.
    public func isWorkingDay(_ date: CalendarDate) -> Bool { !date.isWeekend && !holidays.contains(date) }

    /// The working window of a date in UTC, or nil on weekends and bank holidays.
    public func window(on date: CalendarDate) -> (start: Date, end: Date)? {
        guard isWorkingDay(date) else { return nil }
        return (
            LondonTime.instant(on: date, secondsAfterMidnight: dayStart),
            LondonTime.instant(on: date, secondsAfterMidnight: dayEnd)
        )
    }

    /// The instant `amount` of working time after `instant`, at millisecond precision.
    public func adding(workingTime amount: TimeInterval, to instant: Date) -> Date {
        precondition(amount >= 0, "working time added must not be negative")
        var remaining = amount
        var date = LondonTime.date(of: instant)
        var cursor = instant
        while true {
            if let (start, end) = window(on: date), cursor < end {
                let from = max(cursor, start)
                let available = end.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining).atMillisecondPrecision }
                remaining -= available
            }
            date = date.adding(days: 1)
            cursor = LondonTime.instant(on: date, secondsAfterMidnight: 0)
        }
    }

    /// The instant `days` working days after `instant`.
    public func adding(workingDays days: Double, to instant: Date) -> Date {
        adding(workingTime: days * workingDay, to: instant)
    }

    /// The instant `hours` working hours after `instant`.
    public func adding(workingHours hours: Double, to instant: Date) -> Date {
        adding(workingTime: hours * 3600, to: instant)
    }

    /// The latest instant whose working time from `instant` is at most `amount`: the instant
    /// `amount` of working time later, or, when that falls at the close of a working day, the
    /// opening of the next one (no working time passes in between). A deadline at or before it
    /// is within `amount` of working time; one after it is not. Lets a store compare instants
    /// instead of counting working time row by row.
    public func latest(withinWorkingTime amount: TimeInterval, of instant: Date) -> Date {
        let limit = adding(workingTime: amount, to: instant)
        var date = LondonTime.date(of: limit)
        if let (start, end) = window(on: date), limit >= start, limit < end { return limit }
        while true {
            date = date.adding(days: 1)
            if let (start, _) = window(on: date) { return start }
        }
    }

    /// Working time between two instants (negative if `end` is before `start`).
    public func workingTime(from start: Date, to end: Date) -> TimeInterval {
        if end < start { return -workingTime(from: end, to: start) }
        var total: TimeInterval = 0
        var date = LondonTime.date(of: start)
        let last = LondonTime.date(of: end)
        while date <= last {
            if let (open, close) = window(on: date) {
                let from = max(open, start)
                let to = min(close, end)
                if to > from { total += to.timeIntervalSince(from) }
            }
            date = date.adding(days: 1)
        }
        return total
    }
}
