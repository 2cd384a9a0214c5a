import Foundation
import Hummingbird
import RefGateCore

/// The period the performance figures cover: requests made from the start of London date `from`
/// to the end of London date `to` (both included; either may be left open).
public struct PerformancePeriod: Sendable, Hashable {
    /// First day included.
    public var from: CalendarDate?
    /// Last day included.
    public var to: CalendarDate?

    /// Creates a period.
    public init(from: CalendarDate? = nil, to: CalendarDate? = nil) throws {
        if let from, let to, to < from {
            throw RefGateError(.invalidInput, "the period ends (to \(to)) before it starts (from \(from))")
        }
        self.from = from
        self.to = to
    }

    /// Reads `from` and `to` (`YYYY-MM-DD`) from a query; an empty value leaves that end open.
    public init(_ query: Parameters) throws {
        func date(_ name: String) throws -> CalendarDate? {
            guard let text = query[Substring(name)].map(String.init), !text.isEmpty else { return nil }
            guard let date = CalendarDate(text) else {
                throw RefGateError(.invalidInput, "\(name) '\(text)' is not a date; write it as YYYY-MM-DD")
            }
            return date
        }
        try self.init(from: try date("from"), to: try date("to"))
    }

    /// The first instant included.
    public var start: Date? { from.map { LondonTime.instant(on: $0, secondsAfterMidnight: 0) } }

    /// The first instant after the period.
    public var end: Date? { to.map { LondonTime.instant(on: $0.adding(days: 1), secondsAfterMidnight: 0) } }

    /// The period as a query string (`?from=…&to=…`), empty when open at both ends.
    public var query: String {
        let parts = [from.map { "from=\($0)" }, to.map { "to=\($0)" }].compactMap { $0 }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}
