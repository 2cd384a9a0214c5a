import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// Employing agencies as records (para 3): adding and merging them, concerns about them, and
/// their own para 9 confirmation of a candidate's checks, recorded by a recruiter or given by
/// the agency through a one-time link.
public struct Agencies: Sendable {
    let store: Store
    let clock: any NodeClock
    let planner: NotificationPlanner
    let options: RegionOptions
    let logger: Logger

    /// Every agency (not the merged duplicates unless asked), by name.
    public func list(includingMerged: Bool = false) async throws -> [AgencyRecord] {
        try await store.read { try $0.agencies(includingMerged: includingMerged) }
    }

    /// Adds an agency, or changes the name and contact of one already held.
    public func save(number: String, name: String, contactEmail: String?, by principal: Principal) async throws
        -> AgencyRecord
    {
        let number = try CompaniesHouseNumber(validating: number)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else {
            throw RefGateError(.invalidInput, "give the agency's registered name (name), in 1 to 200 characters")
        }
        let email = try Self.checkEmail(contactEmail, field: "contactEmail")
        let now = clock.now()
        return try await store.write { tx in
            let held = try tx.reader.agency(number)
            if let merged = held?.mergedInto {
                throw RefGateError(
                    .invalidTransition, "agency \(number) was merged into \(merged): change that one instead")
            }
            let record = AgencyRecord(
                number: number, name: name, contactEmail: email ?? held?.contactEmail,
                createdAt: held?.createdAt ?? now, updatedAt: now)
            try tx.save(record, actor: principal.auditActor)
            return record
        }
    }

    /// Merges a duplicate record into the agency it stands for: the duplicate's cases,
    /// candidates, confirmations and concerns move to it; the duplicate's number still finds it.
    public func merge(_ duplicate: String, into target: String, by principal: Principal) async throws -> AgencyRecord {
        let duplicate = try CompaniesHouseNumber(validating: duplicate)
        let target = try CompaniesHouseNumber(validating: target)
        guard duplicate != target else {
            throw RefGateError(.invalidInput, "an agency cannot be merged into itself")
        }
        return try await store.write { tx in
            guard try tx.reader.agency(duplicate) != nil else {
                throw RefGateError(.notFound, "no agency \(duplicate) at this node")
            }
            guard let into = try tx.reader.currentAgency(target) else {
                throw RefGateError(.notFound, "no agency \(target) at this node")
            }
            guard into.number != duplicate else {
                throw RefGateError(.invalidInput, "\(target) was itself merged into \(duplicate)")
            }
            try tx.mergeAgency(duplicate, into: into.number, actor: principal.auditActor, at: self.clock.now())
            return into
        }
    }

    /// Concerns about an agency, newest first (managers see them).
    public func concerns(agency: String) async throws -> [AgencyConcern] {
        let number = try CompaniesHouseNumber(validating: agency)
        return try await store.read { reader in
            guard let current = try reader.currentAgency(number) else {
                throw RefGateError(.notFound, "no agency \(number) at this node")
            }
            return try reader.agencyConcerns(agency: current.number)
        }
    }

    /// Records a concern about an agency (para 3), as the signed-in user (the node's token names one).
    public func recordConcern(
        agency: String, category: AgencyConcern.Category, text: String, recordedBy: Person?, by principal: Principal
    ) async throws -> AgencyConcern {
        let number = try CompaniesHouseNumber(validating: agency)
        let person = try principal.actingPerson(named: recordedBy, field: "recordedBy")
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...1000).contains(text.count) else {
            throw RefGateError(.invalidInput, "say what the concern is (text), in 1 to 1,000 characters")
        }
        let now = clock.now()
        return try await store.write { tx in
            guard let current = try tx.reader.currentAgency(number) else {
                throw RefGateError(.notFound, "no agency \(number) at this node: add it first")
            }
            let concern = AgencyConcern(
                id: TimeOrderedID.make(), agency: current.number, category: category, text: text,
                recordedBy: person.name, recordedByRole: person.role, recordedAt: now)
            try tx.insert(concern, actor: principal.auditActor(naming: person))
            return concern
        }
    }

    /// Records the agency's para 9 confirmation as a recruiter received it (by e-mail, or on the
    /// agency's word); a one-time link records its own.
    public func recordChecks(
        registration: String, _ input: AgencyChecksInput, by principal: Principal
    ) async throws -> AgencyChecks {
        _ = try ProfessionalRegistration(key: registration)
        guard input.method != .oneTimeLink else {
            throw RefGateError(
                .invalidInput, "a one-time link records its own confirmation: send one with agency-link instead")
        }
        let confirmedBy = try Self.checkName(input.confirmedBy, field: "confirmedBy")
        let recorder = try principal.actingPerson(
            named: input.recordedBy.map { Person(name: $0, role: "recruiter") }, field: "recordedBy")
        let now = clock.now()
        return try await store.write { tx in
            let agency = try Self.candidateAgency(registration, reader: tx.reader)
            let checks = AgencyChecks(
                agency: agency.number, dbsReviewed: input.dbsReviewed,
                permanentEmployerReferences: input.permanentEmployerReferences,
                employmentGapsChallenged: input.employmentGapsChallenged, confirmedBy: confirmedBy,
                method: input.method, confirmedAt: now, recordedBy: recorder.name)
            try tx.save(checks, registration: registration, actor: principal.auditActor(naming: recorder))
            return checks
        }
    }

    /// The agency and the candidate's address a recruiter gave, checked; nil fields stay as held.
    static func checkEmail(_ email: String?, field: String) throws -> String? {
        guard let email = email?.trimmingCharacters(in: .whitespaces), !email.isEmpty else { return nil }
        guard email.count <= 254, email.wholeMatch(of: /[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+/) != nil else {
            throw RefGateError(.invalidInput, "\(field) '\(email.prefix(60))' is not an e-mail address")
        }
        return email
    }

    static func checkName(_ name: String, field: String) throws -> String {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else {
            throw RefGateError(.invalidInput, "say who at the agency confirmed (\(field)), in 1 to 200 characters")
        }
        return name
    }

    /// The agency a candidate came through, as the requests recorded it.
    static func candidateAgency(_ registration: String, reader: StoreReader) throws -> AgencyRecord {
        guard let number = try reader.candidateContact(registration: registration)?.agency,
            let agency = try reader.currentAgency(number)
        else {
            throw RefGateError(
                .notFound,
                "no agency is recorded for candidate \(registration): send their requests with the agency's Companies House number"
            )
        }
        return agency
    }
}

/// A recruiter's record of an agency's para 9 confirmation.
public struct AgencyChecksInput: Codable, Sendable {
    /// The DBS check was reviewed.
    public var dbsReviewed: Bool
    /// References from previous permanent employers are held.
    public var permanentEmployerReferences: Bool
    /// Gaps in employment were challenged.
    public var employmentGapsChallenged: Bool
    /// Who at the agency confirmed.
    public var confirmedBy: String
    /// How: `email-reply` or `recruiter-on-agencys-word`.
    public var method: AgencyChecks.Method
    /// Who recorded it (the node's token only; a signed-in user is themselves).
    public var recordedBy: String?

    /// Creates input.
    public init(
        dbsReviewed: Bool, permanentEmployerReferences: Bool, employmentGapsChallenged: Bool, confirmedBy: String,
        method: AgencyChecks.Method, recordedBy: String? = nil
    ) {
        self.dbsReviewed = dbsReviewed
        self.permanentEmployerReferences = permanentEmployerReferences
        self.employmentGapsChallenged = employmentGapsChallenged
        self.confirmedBy = confirmedBy
        self.method = method
        self.recordedBy = recordedBy
    }
}
