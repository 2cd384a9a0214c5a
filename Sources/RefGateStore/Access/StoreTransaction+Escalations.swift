import Foundation
import GRDB
import RefGateCore

extension StoreTransaction {
    /// Records an escalation. The case's level and the closing of lower levels are the
    /// transition the caller applies with it (`EscalationRules.transition(raising:caseID:)`).
    /// `actor` is who raised it as the audit log records them (default: the person it names).
    public func insert(_ escalation: EscalationRecord, actor: AuditActor? = nil) throws {
        try escalation.insert(db)
        try appendAudit(
            AuditEvent(
                .escalationRaised, caseID: escalation.caseID, subject: escalation.id,
                actor: actor ?? AuditActor(escalation.raisedBy),
                detail: [
                    "level": "\(escalation.level)", "reason": escalation.reason.rawValue,
                    "role": escalation.role.rawValue, "notice": escalation.noticeMessageID,
                ]),
            at: escalation.raisedAt)
        caseChanged(escalation.caseID)
    }

    /// Records who acknowledged an escalation (the first acknowledgement wins).
    public func acknowledge(escalationID: String, by person: Person, actor: AuditActor? = nil, at time: Date) throws {
        let changedRows = try db.changes(
            sql: """
                UPDATE escalations SET acknowledged_at = ?, acknowledged_by_name = ?, acknowledged_by_role = ?
                WHERE id = ? AND acknowledged_at IS NULL
                """,
            arguments: [time.epochMilliseconds, person.name, person.role, escalationID])
        let acknowledged = changedRows == 1
        if let escalation = try reader.escalation(escalationID) {
            if acknowledged {
                try appendAudit(
                    AuditEvent(
                        .escalationAcknowledged, caseID: escalation.caseID, subject: escalationID,
                        actor: actor ?? AuditActor(person), detail: ["level": "\(escalation.level)"]),
                    at: time)
            }
            caseChanged(escalation.caseID)
        }
    }

    /// Moves an escalation's next reminder.
    public func scheduleReminder(escalationID: String, at time: Date?) throws {
        try db.run(
            sql: "UPDATE escalations SET next_reminder_at = ? WHERE id = ?",
            arguments: [time?.epochMilliseconds, escalationID])
        if let escalation = try reader.escalation(escalationID) { caseChanged(escalation.caseID) }
    }

    /// Recomputes a case's `next_due`, the scheduler's index, from `DeadlineLadder.nextDue`
    /// (through ``caseChanged(_:)``, once per case and write).
    func refreshNextDue(caseID: String) throws {
        guard let record = try reader.case(caseID) else { return }
        let state = try reader.ladderState(of: record)
        // Written only when it moves: each write of a case row updates every index on cases
        // (its next_due is indexed), and most changes leave the ladder's next step where it was.
        let nextDue = DeadlineLadder.nextDue(state)?.epochMilliseconds
        try db.run(
            sql: "UPDATE cases SET next_due = ? WHERE id = ? AND next_due IS DISTINCT FROM ?",
            arguments: [nextDue, caseID, nextDue])
        work.touch(.deadlines)
    }
}
