import Foundation
import GRDB
import RefGateCore

extension StoreTransaction {
    /// Records an escalation and raises the case to its level; earlier open levels close.
    public func insert(_ escalation: EscalationRecord) throws {
        try db.run(
            sql: "UPDATE escalations SET closed_at = ? WHERE case_id = ? AND closed_at IS NULL AND level < ?",
            arguments: [escalation.raisedAt.epochMilliseconds, escalation.caseID, escalation.level])
        try db.run(
            sql: """
                INSERT INTO escalations (id, case_id, level, reason, role, raised_by_name, raised_by_role, note,
                    raised_at, due_at, notice_message_id, next_reminder_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                escalation.id, escalation.caseID, escalation.level, escalation.reason.rawValue,
                escalation.role.rawValue, escalation.raisedBy.name, escalation.raisedBy.role, escalation.note,
                escalation.raisedAt.epochMilliseconds, escalation.dueAt.epochMilliseconds,
                escalation.noticeMessageID, escalation.nextReminderAt?.epochMilliseconds,
            ])
        try appendAudit(
            AuditEvent(
                .escalationRaised, caseID: escalation.caseID, subject: escalation.id,
                actor: AuditActor(escalation.raisedBy),
                detail: [
                    "level": "\(escalation.level)", "reason": escalation.reason.rawValue,
                    "role": escalation.role.rawValue, "notice": escalation.noticeMessageID,
                ]),
            at: escalation.raisedAt)
        try db.run(
            sql: "UPDATE cases SET escalation_level = ?, updated_at = ? WHERE id = ?",
            arguments: [escalation.level, escalation.raisedAt.epochMilliseconds, escalation.caseID])
        caseChanged(escalation.caseID)
    }

    /// Records who acknowledged an escalation (the first acknowledgement wins).
    public func acknowledge(escalationID: String, by person: Person, at time: Date) throws {
        try db.run(
            sql: """
                UPDATE escalations SET acknowledged_at = ?, acknowledged_by_name = ?, acknowledged_by_role = ?
                WHERE id = ? AND acknowledged_at IS NULL
                """,
            arguments: [time.epochMilliseconds, person.name, person.role, escalationID])
        let acknowledged = db.changesCount == 1
        if let escalation = try reader.escalation(escalationID) {
            if acknowledged {
                try appendAudit(
                    AuditEvent(
                        .escalationAcknowledged, caseID: escalation.caseID, subject: escalationID,
                        actor: AuditActor(person), detail: ["level": "\(escalation.level)"]),
                    at: time)
            }
            caseChanged(escalation.caseID)
        }
    }

    /// Closes a case's open escalations (a response resolved it), sets the case's escalation
    /// level to `level` (what `ResponseRules` decided: the store decides no level itself) and
    /// returns the escalations closed.
    @discardableResult
    public func closeEscalations(caseID: String, level: Int, at time: Date) throws -> [EscalationRecord] {
        let open = try reader.escalations(caseID: caseID, openOnly: true)
        try db.run(
            sql: "UPDATE escalations SET closed_at = ? WHERE case_id = ? AND closed_at IS NULL",
            arguments: [time.epochMilliseconds, caseID])
        for escalation in open {
            try appendAudit(
                AuditEvent(
                    .escalationClosed, caseID: caseID, subject: escalation.id,
                    detail: ["level": "\(escalation.level)", "cause": "response"]),
                at: time)
        }
        try db.run(sql: "UPDATE cases SET escalation_level = ? WHERE id = ?", arguments: [level, caseID])
        caseChanged(caseID)
        return open
    }

    /// Marks the ladder spent: closes the open escalations and sets level 3.
    public func markExhausted(caseID: String, at time: Date) throws {
        try db.run(
            sql: "UPDATE escalations SET closed_at = ? WHERE case_id = ? AND closed_at IS NULL",
            arguments: [time.epochMilliseconds, caseID])
        try db.run(
            sql: "UPDATE cases SET escalation_level = \(EscalationRules.exhausted), updated_at = ? WHERE id = ?",
            arguments: [time.epochMilliseconds, caseID])
        try appendAudit(AuditEvent(.caseExhausted, caseID: caseID), at: time)
        caseChanged(caseID)
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
        try db.run(
            sql: "UPDATE cases SET next_due = ? WHERE id = ?",
            arguments: [DeadlineLadder.nextDue(state)?.epochMilliseconds, caseID])
        work.touch(.deadlines)
    }
}
