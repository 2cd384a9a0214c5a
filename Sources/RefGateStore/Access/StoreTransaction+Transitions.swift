import Foundation
import GRDB
import RefGateCore

extension StoreTransaction {
    /// Applies a transition the core's rules decided: the only write of a case's status or
    /// escalation level (`StoreDecidesNothingTests` holds this). Returns the escalations it closed.
    @discardableResult
    public func apply(_ transition: CaseTransition, at time: Date) throws -> [EscalationRecord] {
        let caseID = transition.caseID
        if let status = transition.status {
            let changedRows = try db.changes(
                sql: """
                    UPDATE cases SET status = ?, response_message_id = ?, updated_at = ?,
                        answered_at = (SELECT m.sent_at FROM messages m WHERE m.id = ?)
                    WHERE id = ?
                    """,
                arguments: [
                    status.rawValue, transition.responseMessageID, time.epochMilliseconds,
                    transition.responseMessageID, caseID,
                ])
            guard changedRows == 1 else { throw RefGateError(.unknownCase, "no case \(caseID)") }
            var detail = ["status": status.rawValue]
            if let cause = transition.responseMessageID { detail["cause"] = cause }
            try appendAudit(AuditEvent(.caseStatus, caseID: caseID, detail: detail), at: time)
        }
        let closed = try closeEscalations(of: transition, at: time)
        let changedRows = try db.changes(
            sql: """
                UPDATE cases SET escalation_level = ?,
                    highest_escalation_level = CASE WHEN highest_escalation_level > ? THEN highest_escalation_level ELSE ? END,
                    updated_at = ?
                WHERE id = ?
                """,
            arguments: [
                transition.escalationLevel, transition.escalationLevel, transition.escalationLevel,
                time.epochMilliseconds, caseID,
            ])
        guard changedRows == 1 else { throw RefGateError(.unknownCase, "no case \(caseID)") }
        if transition.cause == .exhausted {
            try appendAudit(AuditEvent(.caseExhausted, caseID: caseID), at: time)
        }
        caseChanged(caseID)
        return closed
    }

    private func closeEscalations(of transition: CaseTransition, at time: Date) throws -> [EscalationRecord] {
        let below =
            switch transition.closing {
            case .below(let level): level
            case .all: Int.max
            }
        let closing = try reader.escalations(caseID: transition.caseID, openOnly: true).filter { $0.level < below }
        try db.run(
            sql: "UPDATE escalations SET closed_at = ? WHERE case_id = ? AND closed_at IS NULL AND level < ?",
            arguments: [time.epochMilliseconds, transition.caseID, below])
        // An answer's closing is audited one by one; a higher level or the ladder's end says it.
        if case .response = transition.cause {
            for escalation in closing {
                try appendAudit(
                    AuditEvent(
                        .escalationClosed, caseID: transition.caseID, subject: escalation.id,
                        detail: ["level": "\(escalation.level)", "cause": "response"]),
                    at: time)
            }
        }
        return closing
    }
}
