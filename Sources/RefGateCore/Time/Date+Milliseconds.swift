import Foundation

/// refgate keeps every instant at one precision, whole **milliseconds** since the Unix epoch
/// (UTC), so a deadline read from memory, from either node's store or from a message is the
/// same value. `Date` holds a floating-point offset from 2001; two routes to "the same"
/// instant can differ in the last bits, so every instant refgate makes passes through
/// `epochMilliseconds` (the clock, calendar arithmetic, message decoding, the store).
extension Date {
    /// Milliseconds since 1970-01-01T00:00:00Z, rounded to the nearest millisecond.
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// The instant `milliseconds` after 1970-01-01T00:00:00Z.
    ///
    /// `Date(epochMilliseconds: m).epochMilliseconds == m` for every instant refgate meets
    /// (the rounding error is below a microsecond), so the conversion is stable.
    public init(epochMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// This instant at refgate's precision (rounded to the nearest millisecond).
    public var atMillisecondPrecision: Date { Date(epochMilliseconds: epochMilliseconds) }
}

extension Int64 {
    /// Division rounding towards negative infinity, so instants before 1970 split into days
    /// and seconds correctly.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
