import Foundation

/// A calendar month of London dates, `YYYY-MM`: the period regional figures cover. Pure.
public struct RegionalPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year.
    public let year: Int
    /// The month, 1–12.
    public let month: Int

    /// The month `text` names; nil unless it is `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }

    /// The month holding `instant` in London.
    public init(containing instant: Date) {
        let date = LondonTime.date(of: instant)
        year = date.year
        month = date.month
    }

    private init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// `YYYY-MM`.
    public var description: String { String(format: "%04d-%02d", year, month) }

    /// The month before.
    public var previous: RegionalPeriod {
        month == 1 ? .init(year: year - 1, month: 12) : .init(year: year, month: month - 1)
    }

    /// The month after.
    public var next: RegionalPeriod {
        month == 12 ? .init(year: year + 1, month: 1) : .init(year: year, month: month + 1)
    }

    /// Its first instant (midnight in London on the 1st).
    public var start: Date {
        LondonTime.instant(on: CalendarDate(year: year, month: month, day: 1)!, secondsAfterMidnight: 0)
    }

    /// The first instant after it.
    public var end: Date { next.start }

    /// Orders by time.
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}
