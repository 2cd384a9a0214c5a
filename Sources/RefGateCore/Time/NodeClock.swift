import Foundation
import Synchronization

/// The source of "now" for everything that reads the time, so tests and the demo can move
/// time without sleeping.
///
/// Every clock answers at refgate's one precision, whole milliseconds (`Date+Milliseconds`),
/// so an instant read from the clock survives the store and the wire unchanged.
public protocol NodeClock: Sendable {
    /// The current instant, at millisecond precision.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: NodeClock {
    /// Creates the system clock.
    public init() {}
    /// The current instant.
    public func now() -> Date { Date().atMillisecondPrecision }
}

/// A clock that only moves when told to (tests, demo).
public final class ManualClock: NodeClock {
    private let current: Mutex<Date>

    /// Creates a clock standing at `start`.
    public init(_ start: Date) { current = Mutex(start.atMillisecondPrecision) }

    /// The clock's instant.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward (or back) by `interval` seconds.
    public func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval).atMillisecondPrecision }
    }

    /// Sets the clock.
    public func set(_ date: Date) { current.withLock { $0 = date.atMillisecondPrecision } }
}

/// The system clock shifted by a fixed offset: for drills and tests of deadline behaviour in
/// real processes ("what happens three working days from now"), never for production.
public struct OffsetClock: NodeClock {
    /// Seconds added to the system time.
    public let offset: TimeInterval

    /// Creates a clock `offset` seconds ahead of the system clock (behind if negative).
    public init(offset: TimeInterval) { self.offset = offset }

    /// The shifted instant.
    public func now() -> Date { Date().addingTimeInterval(offset).atMillisecondPrecision }
}
