import Foundation
import RefGateCore
import RefGateStore

/// What the scheduler did with a due case.
public enum DeadlineAction: Sendable, Hashable {
    /// Raised an escalation at this level.
    case escalated(level: Int)
    /// The ladder is spent (para 14).
    case exhausted
    /// Reminded the holders of an unacknowledged escalation's role.
    case reminded
}

extension CaseEngine {
    /// Handles a case whose next deadline or reminder has passed, in one transaction.
    ///
    /// The case's `next_due` is re-read inside the transaction and the action moves it on, so
    /// running this again — after a crash, or from two schedulers — does nothing twice.
    public func processDeadline(caseID: String) async throws -> [DeadlineAction] {
        let now = clock.now()
        let actions = try await store.write { tx -> [DeadlineAction] in
            guard let record = try tx.reader.case(caseID), let due = try tx.reader.nextDue(caseID: caseID), due <= now
            else { return [] }
            var actions: [DeadlineAction] = []
            switch record.side {
            case .requester:
                switch record.escalationLevel {
                case 0 where record.status == .awaitingResponse:
                    _ = try self.escalate(
                        record, reason: .responseOverdue, raisedBy: Self.system, note: nil, now: now, tx: tx)
                    actions.append(.escalated(level: 1))
                case 1:
                    _ = try self.escalate(
                        record, reason: .levelOneOverdue, raisedBy: Self.system, note: nil, now: now, tx: tx)
                    actions.append(.escalated(level: 2))
                case 2:
                    try tx.markExhausted(caseID: caseID, at: now)
                    for notification in self.planner.ladderExhausted(case: record, now: now) {
                        try tx.enqueue(notification)
                    }
                    actions.append(.exhausted)
                default:
                    try tx.refreshNextDue(caseID: caseID)
                }
            case .responder:
                let open = try tx.reader.escalations(caseID: caseID, openOnly: true)
                if open.contains(where: { $0.level == 2 && $0.dueAt <= now }) {
                    try tx.markExhausted(caseID: caseID, at: now)
                    for notification in self.planner.ladderExhausted(case: record, now: now) {
                        try tx.enqueue(notification)
                    }
                    actions.append(.exhausted)
                } else {
                    for escalation in open where escalation.acknowledgedAt == nil {
                        guard let reminder = escalation.nextReminderAt, reminder <= now else { continue }
                        for notification in self.planner.reminder(escalation, case: record, now: now) {
                            try tx.enqueue(notification)
                        }
                        try tx.scheduleReminder(
                            escalationID: escalation.id,
                            at: self.policy.calendar.adding(workingHours: self.policy.reminderWorkingHours, to: now))
                        actions.append(.reminded)
                    }
                    try tx.refreshNextDue(caseID: caseID)
                }
            }
            return actions
        }
        if !actions.isEmpty {
            outboxSignal.signal()
            notificationSignal.signal()
            logger.notice(
                "deadline passed", metadata: ["case": "\(caseID)", "actions": "\(actions.map { "\($0)" })"])
        }
        return actions
    }
}
