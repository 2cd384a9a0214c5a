import Foundation

/// Europe/London civil time: GMT, and BST (UTC+1) from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October (the rule in force since 1996).
///
/// Computed from the rule rather than read from tzdata, so the core needs no system files;
/// a test checks it against Foundation's `TimeZone(identifier: "Europe/London")`.
public enum LondonTime {
    /// Seconds east of UTC at an instant: 0 or 3600.
    public static func offset(at instant: Date) -> Int {
        let seconds = Int(instant.epochMilliseconds.floorDivided(by: 1000))
        let days = Int(Int64(seconds).floorDivided(by: 86_400))
        let year = CalendarDate(daysSinceEpoch: days).year
        let start = CalendarDate.last(weekday: 7, month: 3, year: year).daysSinceEpoch * 86_400 + 3600
        let end = CalendarDate.last(weekday: 7, month: 10, year: year).daysSinceEpoch * 86_400 + 3600
        return seconds >= start && seconds < end ? 3600 : 0
    }

    /// The London civil date of an instant.
    public static func date(of instant: Date) -> CalendarDate {
        let local = instant.epochMilliseconds + Int64(offset(at: instant)) * 1000
        return CalendarDate(daysSinceEpoch: Int(local.floorDivided(by: 86_400_000)))
    }

    /// The instant at which London clocks show `secondsAfterMidnight` on `date`.
    ///
    /// Unambiguous for the times refgate asks about: working hours and midnight never fall in
    /// the hour the clocks skip or repeat (01:00–02:00 on a Sunday).
    public static func instant(on date: CalendarDate, secondsAfterMidnight: Int) -> Date {
        let localSeconds = date.daysSinceEpoch * 86_400 + secondsAfterMidnight
        // Try GMT first; if that instant is in BST, the wall time meant BST.
        let asGMT = Date(epochMilliseconds: Int64(localSeconds - 3600) * 1000)
        let offset = offset(at: asGMT) == 3600 ? 3600 : 0
        return Date(epochMilliseconds: Int64(localSeconds - offset) * 1000)
    }
}
