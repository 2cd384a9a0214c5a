import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// Every agency, by name; merged ones too when `includingMerged`.
    public func agencies(includingMerged: Bool = false) throws -> [AgencyRecord] {
        try Row.fetchAll(
            try db.cached(
                includingMerged
                    ? "SELECT * FROM agencies ORDER BY name, companies_house_number"
                    : "SELECT * FROM agencies WHERE merged_into IS NULL ORDER BY name, companies_house_number")
        ).map(AgencyRecord.init)
    }

    /// One agency as stored (merged or not).
    public func agency(_ number: CompaniesHouseNumber) throws -> AgencyRecord? {
        try Row.fetchOne(
            try db.cached("SELECT * FROM agencies WHERE companies_house_number = ?"), arguments: [number.rawValue]
        ).map(AgencyRecord.init)
    }

    /// The agency a number stands for now: itself, or the record it was merged into.
    public func currentAgency(_ number: CompaniesHouseNumber) throws -> AgencyRecord? {
        var seen: Set<CompaniesHouseNumber> = []
        var record = try agency(number)
        while let merged = record?.mergedInto, seen.insert(merged).inserted { record = try agency(merged) }
        return record
    }

    /// A candidate's agency and address, as the recruiter gave them.
    public func candidateContact(registration: String) throws -> (agency: CompaniesHouseNumber?, email: String?)? {
        try Row.fetchOne(
            try db.cached("SELECT agency, email FROM candidate_contacts WHERE registration = ?"),
            arguments: [registration]
        ).map(Self.candidateContact(row:))
    }

    static func candidateContact(row: Row) -> (agency: CompaniesHouseNumber?, email: String?) {
        ((row["agency"] as String?).flatMap(CompaniesHouseNumber.init(rawValue:)), row["email"])
    }

    /// Whether the para 8 notice of `kind` went for a candidate.
    public func agencyNoticeSent(registration: String, kind: AgencyNotice.Kind) throws -> Bool {
        try Bool.fetchOne(
            try db.cached("SELECT 1 FROM agency_notices WHERE registration = ? AND kind = ?"),
            arguments: [registration, kind.rawValue]) ?? false
    }

    /// The para 8 notices sent for a candidate, oldest first.
    public func agencyNotices(registration: String) throws -> [AgencyNoticeRecord] {
        try Row.fetchAll(
            try db.cached("SELECT * FROM agency_notices WHERE registration = ? ORDER BY sent_at"),
            arguments: [registration]
        ).compactMap(Self.agencyNotice(row:))
    }

    static func agencyNotice(row: Row) -> AgencyNoticeRecord? {
        guard let kind = AgencyNotice.Kind(rawValue: row["kind"]) else { return nil }
        return AgencyNoticeRecord(
            registration: row["registration"], kind: kind,
            agency: (row["agency"] as String?).flatMap(CompaniesHouseNumber.init(rawValue:)),
            caseID: row["case_id"], recipients: row["recipients"], sentAt: row.instant("sent_at"))
    }

    /// The agency's para 9 confirmation for a candidate, if recorded.
    public func agencyChecks(registration: String) throws -> AgencyChecks? {
        try Row.fetchOne(
            try db.cached("SELECT * FROM agency_checks WHERE registration = ?"), arguments: [registration]
        ).map(Self.agencyChecks(row:))
    }

    static func agencyChecks(row: Row) throws -> AgencyChecks {
        guard let agency = CompaniesHouseNumber(rawValue: row["agency"]),
            let method = AgencyChecks.Method(rawValue: row["method"])
        else { throw RefGateError(.storedDataUnknown, "an agency confirmation holds an unknown value") }
        return AgencyChecks(
            agency: agency, dbsReviewed: row["dbs_reviewed"],
            permanentEmployerReferences: row["permanent_employer_references"],
            employmentGapsChallenged: row["employment_gaps_challenged"], confirmedBy: row["confirmed_by"],
            method: method, confirmedAt: row.instant("confirmed_at"), recordedBy: row["recorded_by"])
    }

    /// The unused, unexpired link with this token hash: its candidate and agency.
    public func agencyLink(tokenHash: String, at now: Date) throws -> (
        registration: String, agency: CompaniesHouseNumber, expiresAt: Date
    )? {
        try Row.fetchOne(
            try db.cached(
                "SELECT registration, agency, expires_at FROM agency_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"
            ), arguments: [tokenHash, now.epochMilliseconds]
        ).flatMap { row in
            CompaniesHouseNumber(rawValue: row["agency"]).map { (row["registration"], $0, row.instant("expires_at")) }
        }
    }

    /// Concerns about an agency (every agency when nil), newest first.
    public func agencyConcerns(agency: CompaniesHouseNumber? = nil) throws -> [AgencyConcern] {
        let rows =
            if let agency {
                try Row.fetchAll(
                    try db.cached("SELECT * FROM agency_concerns WHERE agency = ? ORDER BY recorded_at DESC, id"),
                    arguments: [agency.rawValue])
            } else {
                try Row.fetchAll(try db.cached("SELECT * FROM agency_concerns ORDER BY recorded_at DESC, id"))
            }
        return try rows.map { row in
            guard let agency = CompaniesHouseNumber(rawValue: row["agency"]),
                let category = AgencyConcern.Category(rawValue: row["category"])
            else { throw RefGateError(.storedDataUnknown, "a concern about an agency holds an unknown value") }
            return AgencyConcern(
                id: row["id"], agency: agency, category: category, text: row["text"],
                recordedBy: row["recorded_by_name"], recordedByRole: row["recorded_by_role"],
                recordedAt: row.instant("recorded_at"))
        }
    }
}

extension StoreTransaction {
    /// Adds an agency or changes its name and contact, audited.
    public func save(_ agency: AgencyRecord, actor: AuditActor?) throws {
        try db.run(
            sql: """
                INSERT INTO agencies (companies_house_number, name, contact_email, merged_into, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (companies_house_number) DO UPDATE SET name = excluded.name,
                    contact_email = excluded.contact_email, merged_into = excluded.merged_into,
                    updated_at = excluded.updated_at
                """,
            arguments: [
                agency.number.rawValue, agency.name, agency.contactEmail, agency.mergedInto?.rawValue,
                agency.createdAt.epochMilliseconds, agency.updatedAt.epochMilliseconds,
            ])
        try appendAudit(
            AuditEvent(.agencySaved, subject: agency.number.rawValue, actor: actor), at: agency.updatedAt)
    }

    /// Merges `duplicate` into `into`: the duplicate points at it, and every case, candidate,
    /// confirmation and concern of the duplicate moves to it. Audited.
    public func mergeAgency(
        _ duplicate: CompaniesHouseNumber, into: CompaniesHouseNumber, actor: AuditActor?, at now: Date
    )
        throws
    {
        for table in ["cases", "candidate_contacts", "agency_checks", "agency_concerns", "agency_links"] {
            try db.execute(
                sql: "UPDATE \(table) SET agency = ? WHERE agency = ?", arguments: [into.rawValue, duplicate.rawValue])
        }
        try db.run(
            sql:
                "UPDATE agencies SET merged_into = ?, updated_at = ? WHERE merged_into = ? OR companies_house_number = ?",
            arguments: [into.rawValue, now.epochMilliseconds, duplicate.rawValue, duplicate.rawValue])
        try appendAudit(
            AuditEvent(.agencyMerged, subject: duplicate.rawValue, actor: actor, detail: ["into": into.rawValue]),
            at: now)
    }

    /// Records a candidate's agency and address (the latest request's).
    public func setCandidateContact(registration: String, agency: CompaniesHouseNumber?, email: String?, at now: Date)
        throws
    {
        try db.run(
            sql: """
                INSERT INTO candidate_contacts (registration, agency, email, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (registration) DO UPDATE SET agency = coalesce(excluded.agency, candidate_contacts.agency),
                    email = coalesce(excluded.email, candidate_contacts.email), updated_at = excluded.updated_at
                """,
            arguments: [registration, agency?.rawValue, email, now.epochMilliseconds])
    }

    /// Records the agency a case's candidate came through.
    public func setCaseAgency(_ caseID: String, agency: CompaniesHouseNumber) throws {
        try db.run(sql: "UPDATE cases SET agency = ? WHERE id = ?", arguments: [agency.rawValue, caseID])
    }

    /// Records that a para 8 notice went (once per candidate and kind), audited on its case.
    public func insert(_ notice: AgencyNoticeRecord) throws {
        try db.run(
            sql: """
                INSERT INTO agency_notices (registration, kind, agency, case_id, recipients, sent_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                notice.registration, notice.kind.rawValue, notice.agency?.rawValue, notice.caseID, notice.recipients,
                notice.sentAt.epochMilliseconds,
            ])
        var detail = ["notice": notice.kind.rawValue, "recipients": "\(notice.recipients)"]
        if let agency = notice.agency { detail["agency"] = agency.rawValue }
        try appendAudit(AuditEvent(.agencyNotified, caseID: notice.caseID, detail: detail), at: notice.sentAt)
    }

    /// Records (or replaces) the agency's para 9 confirmation for a candidate, audited.
    public func save(_ checks: AgencyChecks, registration: String, actor: AuditActor?) throws {
        try db.run(
            sql: """
                INSERT INTO agency_checks (registration, agency, dbs_reviewed,
                    permanent_employer_references, employment_gaps_challenged, confirmed_by, method, confirmed_at,
                    recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (registration) DO UPDATE SET agency = excluded.agency,
                    dbs_reviewed = excluded.dbs_reviewed,
                    permanent_employer_references = excluded.permanent_employer_references,
                    employment_gaps_challenged = excluded.employment_gaps_challenged,
                    confirmed_by = excluded.confirmed_by, method = excluded.method,
                    confirmed_at = excluded.confirmed_at, recorded_by = excluded.recorded_by
                """,
            arguments: [
                registration, checks.agency.rawValue, checks.dbsReviewed, checks.permanentEmployerReferences,
                checks.employmentGapsChallenged, checks.confirmedBy, checks.method.rawValue,
                checks.confirmedAt.epochMilliseconds, checks.recordedBy,
            ])
        try appendAudit(
            AuditEvent(
                .agencyChecksRecorded, subject: checks.agency.rawValue, actor: actor,
                detail: ["method": checks.method.rawValue, "complete": "\(checks.complete)"]),
            at: checks.confirmedAt)
    }

    /// Stores a one-time link (only its token's hash), audited.
    public func insertAgencyLink(
        tokenHash: String, registration: String, agency: CompaniesHouseNumber, expiresAt: Date, actor: AuditActor?,
        at now: Date
    ) throws {
        try db.run(
            sql: """
                INSERT INTO agency_links (token_hash, registration, agency, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [
                tokenHash, registration, agency.rawValue, now.epochMilliseconds, expiresAt.epochMilliseconds,
            ])
        try appendAudit(
            AuditEvent(
                .agencyLinkIssued, subject: agency.rawValue, actor: actor,
                detail: ["expiresAt": MessageCoding.formatInstant(expiresAt)]),
            at: now)
    }

    /// Uses a link up; false if it was already used or has expired (then nothing changes).
    public func useAgencyLink(tokenHash: String, at now: Date) throws -> Bool {
        let changedRows = try db.changes(
            sql: "UPDATE agency_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
            arguments: [now.epochMilliseconds, tokenHash, now.epochMilliseconds])
        return changedRows == 1
    }

    /// Records a concern about an agency, audited (the text stays out of the log).
    public func insert(_ concern: AgencyConcern, actor: AuditActor) throws {
        try db.run(
            sql: """
                INSERT INTO agency_concerns (id, agency, category, text, recorded_by_name, recorded_by_role,
                    recorded_by_user, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                concern.id, concern.agency.rawValue, concern.category.rawValue, concern.text, concern.recordedBy,
                concern.recordedByRole, actor.user, concern.recordedAt.epochMilliseconds,
            ])
        try appendAudit(
            AuditEvent(
                .agencyConcernRecorded, subject: concern.id, actor: actor,
                detail: ["agency": concern.agency.rawValue, "category": concern.category.rawValue]),
            at: concern.recordedAt)
    }

    /// Deletes concerns recorded before `cutoff` (retention); returns how many.
    public func purgeAgencyConcerns(recordedBefore cutoff: Date) throws -> Int {
        let changedRows = try db.changes(
            sql: "DELETE FROM agency_concerns WHERE recorded_at < ?", arguments: [cutoff.epochMilliseconds])
        return changedRows
    }
}
