import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// Raises escalations: checks the rules, records one, queues its signed notice and tells this
/// authority's holders of the role. Shared by people's commands, the ineligible-referee rule
/// and the deadline scheduler.
struct Escalator: Sendable {
    let authority: AuthorityID
    let policy: Policy
    let planner: NotificationPlanner
    let outbox: Outbox

    /// The node itself, as the raiser of deadline and ineligible-referee escalations.
    static var system: Person { Person(name: "refgate", role: "automatic escalation") }

    /// Raises an escalation inside a transaction: checks the rules, records it, queues the
    /// signed notice and tells this authority's holders of the role. Shared by people, the
    /// ineligible-referee rule and the deadline scheduler.
    func escalate(
        _ record: CaseRecord, reason: EscalationReason, raisedBy: Person, actor: AuditActor? = nil, note: String?,
        now: Date, tx: StoreTransaction
    ) throws -> (EscalationRecord, EscalationNotice) {
        try EscalationRules.check(
            raising: reason, side: record.side, status: record.status, currentLevel: record.escalationLevel)
        let level = reason.level
        let due = DeadlineLadder.escalationDue(level: level, raisedAt: now, policy: policy)
        let notice = EscalationNotice(
            id: TimeOrderedID.make(), caseId: record.id, from: authority, to: record.peer, sentAt: now,
            escalationId: TimeOrderedID.make(), level: level, reason: reason,
            roleAddressed: EscalationRole(level: level), raisedBy: raisedBy, respondBy: due, note: note)
        let escalation = EscalationRecord(
            id: notice.escalationId, caseID: record.id, level: level, reason: reason, role: notice.roleAddressed,
            raisedBy: raisedBy, note: note, raisedAt: now, dueAt: due, noticeMessageID: notice.id)
        try tx.insert(escalation, actor: actor)
        try tx.apply(EscalationRules.transition(raising: level, caseID: record.id), at: now)
        try outbox.queue(
            notice, id: notice.id, caseID: record.id, kind: .escalationNotice, to: record.peer, now: now, tx: tx)
        for notification in planner.escalationRaised(escalation, case: record, now: now) {
            try tx.enqueue(notification)
        }
        try remindOfStandards(record, concern: reason.rawValue, level: level, now: now, tx: tx)
        return (escalation, notice)
    }

    /// Para 12: the standards reminder for a concern at `level` (0: an answer), once per case
    /// and level, on whichever side the concern arises.
    func remindOfStandards(_ record: CaseRecord, concern: String, level: Int, now: Date, tx: StoreTransaction)
        throws
    {
        let event = NotificationPlanner.standardsReminderEvent(level: level)
        guard try !tx.reader.hasNotification(caseID: record.id, event: event) else { return }
        for notification in planner.standardsReminder(
            concern: concern, level: level, caseID: record.id, role: record.candidateRole, now: now)
        {
            try tx.enqueue(notification)
        }
    }

    /// A response on either side (checked already by `CaseStateMachine`): applies the
    /// transition `ResponseRules` gives it (new status, open escalations closed) and tells those
    /// escalated to; on the commissioning side, an ineligible referee opens level 1 at once
    /// (para 10). Returns the effect, as applied.
    @discardableResult
    func answer(
        _ record: CaseRecord, response messageID: String, outcome: VerificationOutcome, tx: StoreTransaction,
        now: Date
    ) throws -> ResponseRules.Effect {
        let effect = ResponseRules.effect(of: outcome, side: record.side)
        let closed = try tx.apply(effect.transition(caseID: record.id, response: messageID), at: now)
        let calendar = policy.calendar
        try tx.recordAnswerWorkingTime(caseID: record.id) { calendar.workingTime(from: $0, to: $1) }
        var current = record
        current.escalationLevel = effect.escalationLevel
        current.status = effect.status
        for notification in planner.escalationsResolved(closed, case: current, outcome: outcome, now: now) {
            try tx.enqueue(notification)
        }
        if NotificationPlanner.isConcern(outcome) {
            try remindOfStandards(record, concern: "outcome \(outcome.rawValue)", level: 0, now: now, tx: tx)
        }
        if let reason = effect.raise {
            _ = try escalate(current, reason: reason, raisedBy: Self.system, note: nil, now: now, tx: tx)
        }
        return effect
    }
}
