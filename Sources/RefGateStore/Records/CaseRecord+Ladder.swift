import Foundation
import RefGateCore

extension CaseRecord {
    /// The case as `DeadlineLadder` sees it, with its open escalations and, if its request
    /// expired undelivered, when.
    public func ladderState(open: [EscalationRecord], requestExpiredAt: Date? = nil) -> DeadlineLadder.CaseState {
        DeadlineLadder.CaseState(
            side: side, status: status, escalationLevel: escalationLevel, respondBy: respondBy,
            open: open.filter { $0.closedAt == nil }.map(\.ladderEscalation), requestExpiredAt: requestExpiredAt)
    }
}

extension EscalationRecord {
    /// The escalation as `DeadlineLadder` sees it.
    public var ladderEscalation: DeadlineLadder.OpenEscalation {
        .init(id: id, level: level, dueAt: dueAt, acknowledgedAt: acknowledgedAt, nextReminderAt: nextReminderAt)
    }
}
