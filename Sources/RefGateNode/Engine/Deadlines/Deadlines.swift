import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// What the scheduler did with a due case.
public enum DeadlineAction: Sendable, Hashable {
    /// Raised an escalation at this level.
    case escalated(level: Int)
    /// The ladder is spent (para 14).
    case exhausted
    /// Reminded the holders of an unacknowledged escalation's role.
    case reminded
}

extension DeadlineAction {
    /// The action's name in audit entries.
    var auditName: String {
        switch self {
        case .escalated(let level): "escalated-\(level)"
        case .exhausted: "exhausted"
        case .reminded: "reminded"
        }
    }
}

/// Deadlines: carries out what `DeadlineLadder` says is due when a case's deadline passes.
public struct Deadlines: Sendable {
    let store: Store
    let clock: any NodeClock
    let policy: Policy
    let planner: NotificationPlanner
    let escalator: Escalator
    let alerts: Alerts
    let logger: Logger

    /// Handles a case whose next deadline or reminder has passed, in one transaction.
    ///
    /// What is due is `DeadlineLadder`'s decision; this carries it out. The case's `next_due` is
    /// re-read inside the transaction and the action moves it on, so running this again — after
    /// a crash, or from two schedulers — does nothing twice.
    public func processDeadline(caseID: String) async throws -> [DeadlineAction] {
        let now = clock.now()
        let actions = try await store.write { tx -> [DeadlineAction] in
            guard let record = try tx.reader.case(caseID), let due = try tx.reader.nextDue(caseID: caseID), due <= now
            else { return [] }
            let state = try tx.reader.ladderState(of: record)
            var actions: [DeadlineAction] = []
            for step in DeadlineLadder.due(state, now: now, policy: self.policy) {
                switch step {
                case .raise(let reason):
                    let (escalation, _) = try self.escalator.escalate(
                        record, reason: reason, raisedBy: Escalator.system, note: nil, now: now, tx: tx)
                    actions.append(.escalated(level: escalation.level))
                case .exhaust:
                    try tx.apply(EscalationRules.transition(exhausting: caseID), at: now)
                    for notification in self.planner.ladderExhausted(case: record, now: now) {
                        try tx.enqueue(notification)
                    }
                    try self.alerts.candidateBlocked(
                        record,
                        why: "the escalation ladder with \(record.peer) is spent without an answer (paragraph 14)",
                        tx: tx, now: now)
                    actions.append(.exhausted)
                case .remind(let escalationID, let next):
                    guard let escalation = try tx.reader.escalation(escalationID) else { continue }
                    for notification in self.planner.reminder(escalation, case: record, now: now) {
                        try tx.enqueue(notification)
                    }
                    try tx.scheduleReminder(escalationID: escalationID, at: next)
                    actions.append(.reminded)
                }
            }
            if !actions.isEmpty {
                try tx.appendAudit(
                    AuditEvent(
                        .deadlinePassed, caseID: caseID,
                        detail: [
                            "due": MessageCoding.formatInstant(due),
                            "actions": actions.map(\.auditName).joined(separator: ","),
                        ]),
                    at: now)
            }
            // Nothing due after all (the stored index was stale): move it on.
            if actions.isEmpty || record.side == .responder { tx.caseChanged(caseID) }
            return actions
        }
        if !actions.isEmpty {
            logger.notice(
                "deadline passed", metadata: ["case": "\(caseID)", "actions": "\(actions.map { "\($0)" })"])
        }
        return actions
    }
}

extension Deadlines {
    /// Alerts whoever owes each answer now due within a working day (amber), once per case and
    /// level; returns how many alerts it planned. `outstanding` is ``Queries/outstanding()``.
    @discardableResult
    public func alertDeadlinesNear(_ outstanding: [OutstandingCase]) async throws -> Int {
        let near = outstanding.filter { $0.side == .responder && $0.rag == .amber }
        guard !near.isEmpty else { return 0 }
        let now = clock.now()
        return try await store.write { tx in
            try near.reduce(0) { count, item in try self.alerts.deadlineNear(item, tx: tx, now: now) ? count + 1 : count
            }
        }
    }
}
