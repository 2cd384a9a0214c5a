import Foundation
import GRDB
import RefGateCore
import RefGateTrust

/// A recorded checklist, with who recorded it and when.
public struct ChecklistRecord: Sendable, Hashable, Codable {
    /// The candidate's registration number.
    public var registration: String
    /// The checks.
    public var checklist: SaferRecruitmentChecklist
    /// Who recorded them.
    public var recordedBy: String
    /// When the checklist was last recorded.
    public var updatedAt: Date

    /// Creates a record.
    public init(registration: String, checklist: SaferRecruitmentChecklist, recordedBy: String, updatedAt: Date) {
        self.registration = registration
        self.checklist = checklist
        self.recordedBy = recordedBy
        self.updatedAt = updatedAt
    }
}

extension ChecklistRecord {
    init(row: Row) {
        self.init(
            registration: row["registration"],
            checklist: SaferRecruitmentChecklist(
                dbsReviewed: row["dbs_reviewed"], permanentEmployerReferences: row["permanent_employer_references"],
                employmentGapsChallenged: row["employment_gaps_challenged"]),
            recordedBy: row["recorded_by"], updatedAt: row.instant("updated_at"))
    }
}

extension StoreReader {
    /// Cases this authority sent for a candidate, oldest first.
    public func requestedCases(candidateRegistration registration: String) throws -> [CaseRecord] {
        try CaseRecord.fetchAll(
            try db.cached(
                """
                SELECT * FROM cases WHERE candidate_registration = ? AND side = 'requester'
                ORDER BY created_at, id
                """),
            arguments: [registration]
        )
    }

    /// Every case about a candidate, on either side, oldest first (subject access).
    public func cases(candidateRegistration registration: String) throws -> [CaseRecord] {
        try CaseRecord.fetchAll(
            try db.cached("SELECT * FROM cases WHERE candidate_registration = ? ORDER BY created_at, id"),
            arguments: [registration])
    }

    /// The candidate's checklist, if one was recorded.
    public func checklist(registration: String) throws -> ChecklistRecord? {
        try Row.fetchOne(
            try db.cached("SELECT * FROM candidate_checklists WHERE registration = ?"), arguments: [registration]
        )
        .map(ChecklistRecord.init(row:))
    }
}

extension StoreTransaction {
    /// Records (replaces) a candidate's checklist.
    public func save(_ record: ChecklistRecord, actor: AuditActor? = nil) throws {
        try db.run(
            sql: """
                INSERT INTO candidate_checklists (registration, dbs_reviewed, permanent_employer_references,
                    employment_gaps_challenged, recorded_by, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(registration) DO UPDATE SET dbs_reviewed = excluded.dbs_reviewed,
                    permanent_employer_references = excluded.permanent_employer_references,
                    employment_gaps_challenged = excluded.employment_gaps_challenged,
                    recorded_by = excluded.recorded_by, updated_at = excluded.updated_at
                """,
            arguments: [
                record.registration, record.checklist.dbsReviewed, record.checklist.permanentEmployerReferences,
                record.checklist.employmentGapsChallenged, record.recordedBy, record.updatedAt.epochMilliseconds,
            ])
        // The candidate is named by a digest of the registration number: enough to match the
        // entry to a candidate whose number you hold, and nothing after retention.
        try appendAudit(
            AuditEvent(
                .checklistRecorded, subject: "sha256:" + Thumbprint.sha256(Data(record.registration.utf8)),
                actor: actor ?? AuditActor(name: record.recordedBy, role: "recruiter"),
                detail: [
                    "dbsReviewed": "\(record.checklist.dbsReviewed)",
                    "permanentEmployerReferences": "\(record.checklist.permanentEmployerReferences)",
                    "employmentGapsChallenged": "\(record.checklist.employmentGapsChallenged)",
                ]),
            at: record.updatedAt)
    }
}
