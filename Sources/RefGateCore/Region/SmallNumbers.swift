/// Small-number suppression for the regional views: a count from 1 to `threshold - 1` is shown
/// as "fewer than N", so a figure cannot single out a person. Zero and counts at or above the
/// threshold are shown as they are. Pure.
public struct SmallNumbers: Codable, Sendable, Hashable {
    /// Counts below this (and above zero) are suppressed; 1 turns suppression off.
    public var threshold: Int

    /// The default: 5.
    public init(threshold: Int = 5) { self.threshold = max(1, threshold) }

    /// Whether `count` is suppressed.
    public func suppresses(_ count: Int) -> Bool { count > 0 && count < threshold }

    /// The count, or "fewer than N".
    public func show(_ count: Int) -> String { suppresses(count) ? "fewer than \(threshold)" : "\(count)" }

    /// A proportion as a percentage, unless its whole is suppressed or empty.
    public func percentage(_ met: Int, of whole: Int) -> String {
        guard whole > 0 else { return "no data" }
        guard !suppresses(whole) else { return "fewer than \(threshold) to rate" }
        return "\(Int((Double(met) / Double(whole) * 100).rounded(.down)))%"
    }
}
