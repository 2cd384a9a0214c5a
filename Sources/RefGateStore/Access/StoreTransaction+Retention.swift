import Foundation
import GRDB
import RefGateCore
import RefGateTrust

/// What a purge replaced for one case.
public struct PurgeResult: Codable, Sendable, Hashable {
    /// The case.
    public var caseID: String
    /// Message bodies replaced (ids and digests stay, so a resend is still recognised).
    public var messages: Int
    /// Escalation notes replaced.
    public var escalationNotes: Int
    /// Notification texts replaced.
    public var notifications: Int
}

extension StoreReader {
    /// Closed cases whose personal data is still held (answered, or ladder spent).
    public func closedUnpurgedCases() throws -> [CaseRecord] {
        try CaseRecord.fetchAll(
            try db.cached(
                """
                SELECT * FROM cases WHERE purged_at IS NULL
                    AND (status != 'awaiting-response' OR escalation_level >= \(EscalationRules.exhausted))
                ORDER BY updated_at, id
                """))
    }

    /// When retention purged a case, if it did.
    public func purgedAt(caseID: String) throws -> Date? {
        try Int64.fetchOne(try db.cached("SELECT purged_at FROM cases WHERE id = ?"), arguments: [caseID])
            .map(Date.init(epochMilliseconds:))
    }
}

extension StoreTransaction {
    /// Replaces a case's personal data with hashes: the candidate's name and registration,
    /// the bodies of its messages (kept: ids, digests, receipts), escalation notes and the text
    /// of notifications about it; and the candidate's checklist once none of their cases
    /// holds data. The audit log holds no personal data, so it and its tree heads are untouched.
    public func purgePersonalData(caseID: String, at time: Date, actor: AuditActor? = nil) throws -> PurgeResult {
        guard let record = try reader.case(caseID) else { throw RefGateError(.unknownCase, "no case \(caseID)") }
        func hashed(_ text: String) -> String { "sha256:" + Thumbprint.sha256(Data(text.utf8)) }
        try db.run(
            sql: "UPDATE cases SET candidate_name = ?, candidate_registration = ?, purged_at = ? WHERE id = ?",
            arguments: [
                hashed(record.candidateName), record.candidateRegistration.map(hashed), time.epochMilliseconds, caseID,
            ])
        // A body becomes the marker `purged:` and its digest; `digest` itself is unchanged.
        let changedRows = try db.changes(
            sql:
                "UPDATE messages SET jws = CAST('purged:' || digest AS BLOB) WHERE case_id = ? AND jws NOT LIKE 'purged:%'",
            arguments: [caseID])
        let messages = changedRows
        let notes = try Row.fetchAll(
            db,
            sql: "SELECT id, note FROM escalations WHERE case_id = ? AND note IS NOT NULL AND note NOT LIKE 'sha256:%'",
            arguments: [caseID])
        for row in notes {
            try db.run(
                sql: "UPDATE escalations SET note = ? WHERE id = ?",
                arguments: [hashed(row["note"]), row["id"] as String])
        }
        let texts = try Row.fetchAll(
            db, sql: "SELECT id, subject, body FROM notifications WHERE case_id = ? AND body NOT LIKE 'sha256:%'",
            arguments: [caseID])
        for row in texts {
            try db.run(
                sql: "UPDATE notifications SET subject = ?, body = ? WHERE id = ?",
                arguments: [hashed(row["subject"]), hashed(row["body"]), row["id"] as String])
        }
        // A decision's reason may name the candidate: it goes too (what was decided stays).
        for decision in try reader.decisions(caseID: caseID) where !decision.reason.hasPrefix("sha256:") {
            try db.run(
                sql: "UPDATE case_decisions SET reason = ? WHERE id = ?",
                arguments: [hashed(decision.reason), decision.id])
        }
        if let registration = record.candidateRegistration {
            let held =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM cases WHERE candidate_registration = ? AND purged_at IS NULL",
                    arguments: [registration]) ?? 0
            if held == 0 {
                try db.run(
                    sql: "UPDATE candidate_checklists SET registration = ?, recorded_by = ? WHERE registration = ?",
                    arguments: [hashed(registration), "purged", registration])
                // What was verified outside the exchange and the appointment go the same way: who
                // was spoken to, and the key; how, when and by whom stay.
                try db.run(
                    sql: """
                        UPDATE offline_verifications SET registration = ?, verified_with_name = 'purged'
                        WHERE registration = ?
                        """,
                    arguments: [hashed(registration), registration])
                try db.run(
                    sql: "UPDATE appointments SET registration = ?, override_reason = ? WHERE registration = ?",
                    arguments: [hashed(registration), nil, registration])
                // The candidate's own address goes; the agency, its notices and its confirmation
                // stay under the key's hash (they are the agency's record, not the candidate's).
                try db.run(
                    sql: "UPDATE candidate_contacts SET registration = ?, email = NULL WHERE registration = ?",
                    arguments: [hashed(registration), registration])
                for table in ["agency_notices", "agency_checks"] {
                    try db.run(
                        sql: "UPDATE \(table) SET registration = ? WHERE registration = ?",
                        arguments: [hashed(registration), registration])
                }
                try db.run(sql: "DELETE FROM agency_links WHERE registration = ?", arguments: [registration])
            }
        }
        let result = PurgeResult(
            caseID: caseID, messages: messages, escalationNotes: notes.count, notifications: texts.count)
        try appendAudit(
            AuditEvent(
                .retentionRun, caseID: caseID, actor: actor,
                detail: [
                    "messages": "\(result.messages)", "escalationNotes": "\(result.escalationNotes)",
                    "notifications": "\(result.notifications)",
                ]),
            at: time)
        return result
    }
}
