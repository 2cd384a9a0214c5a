import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// A case as `DeadlineLadder` sees it: its open escalations, and whether its request
    /// expired undelivered (an `expired` outbox entry).
    public func ladderState(of record: CaseRecord) throws -> DeadlineLadder.CaseState {
        let expiredAt = try Int64.fetchOne(
            try db.cached("SELECT expires_at FROM outbox WHERE message_id = ? AND state = 'expired'"),
            arguments: [record.requestMessageID]
        ).map { Date(epochMilliseconds: $0) }
        return record.ladderState(
            open: try escalations(caseID: record.id, openOnly: true), requestExpiredAt: expiredAt)
    }

    /// An escalation by id.
    public func escalation(_ id: String) throws -> EscalationRecord? {
        try EscalationRecord.fetchOne(try db.cached("SELECT * FROM escalations WHERE id = ?"), arguments: [id])
    }

    /// Escalations, newest first: of one case, or open ones (optionally for one role, and only
    /// those peers raised to this authority when `receivedOnly`).
    public func escalations(
        caseID: String? = nil, openOnly: Bool = false, role: EscalationRole? = nil, receivedOnly: Bool = false
    ) throws -> [EscalationRecord] {
        var clauses: [String] = []
        var arguments: SQLArguments = []
        // This authority owes the answer on the cases whose escalations it received.
        if receivedOnly { clauses.append("case_id IN (SELECT id FROM cases WHERE side = 'responder')") }
        if let caseID {
            clauses.append("case_id = ?")
            arguments += [caseID]
        }
        if openOnly { clauses.append("closed_at IS NULL") }
        if let role {
            clauses.append("role = ?")
            arguments += [role.rawValue]
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try EscalationRecord.fetchAll(
            try db.cached("SELECT * FROM escalations \(filter) ORDER BY raised_at DESC, id"), arguments: arguments
        )
    }
}
