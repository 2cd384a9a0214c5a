import Foundation

extension Policy {
    /// Red (overdue), amber (due within the amber threshold) or green, as in the employer
    /// standards audit tool's rating scheme: how close a case is to its deadline (paras 6, 11).
    public func rag(due: Date, now: Date) -> RAGStatus {
        if now >= due { return .red }
        return calendar.workingTime(from: now, to: due) <= amberWorkingDays * calendar.workingDay ? .amber : .green
    }
}

/// Red/amber/green rating of a deadline.
public enum RAGStatus: String, Codable, Sendable, CaseIterable {
    /// On track.
    case green
    /// Due within the amber threshold.
    case amber
    /// Overdue.
    case red
}
