import Foundation
import Logging
import RefGateCore
import RefGateStore

extension Commands {
    /// Records that a reference was verified outside the signed exchange (paras 6–7): by
    /// telephone, in writing or both, with a named person at a named authority or employer.
    /// With `caseID` it stands for that case (still awaiting its answer, or "unable to verify";
    /// the signed request goes on); without, it is a reference of its own.
    public func recordOfflineVerification(
        registration: String, _ input: OfflineVerificationInput, by principal: Principal = .node
    ) async throws -> AppointmentGate.Status {
        _ = try ProfessionalRegistration(key: registration)
        let person = try principal.actingPerson(named: input.recordedBy, field: "recordedBy")
        let name = try Self.text(input.verifiedWithName, "verifiedWithName", max: 200)
        let organisation = try Self.text(input.verifiedWithOrganisation, "verifiedWithOrganisation", max: 200)
        let now = clock.now()
        guard let day = CalendarDate(input.verifiedOn), day <= LondonTime.date(of: now) else {
            throw RefGateError(.invalidInput, "verifiedOn must be a date (YYYY-MM-DD) no later than today")
        }
        if let digest = input.documentSHA256,
            digest.count != 64 || !digest.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        {
            throw RefGateError(.invalidInput, "documentSHA256 must be 64 lowercase hex digits (sha256sum prints it)")
        }
        let record = OfflineVerification(
            id: TimeOrderedID.make(), registration: registration, caseID: input.caseId, method: input.method,
            verifiedWithName: name, verifiedWithOrganisation: organisation, verifiedOn: day.description,
            documentSHA256: input.documentSHA256, recordedBy: person, recordedAt: now)
        try await store.write { tx in
            if let caseID = input.caseId {
                guard let existing = try tx.reader.case(caseID), existing.side == .requester,
                    existing.candidateRegistration == registration
                else {
                    throw RefGateError(
                        .unknownCase, "no case \(caseID) of candidate \(registration) was sent from this node")
                }
                guard AppointmentGate.mayVerifyOutside(existing.status) else {
                    throw RefGateError(
                        .invalidTransition,
                        "case \(caseID) was answered \(existing.status.rawValue); a call or letter does not overturn a signed answer: ask for a suitable reference instead (para 10)"
                    )
                }
            }
            let before = try Queries.gate(registration: registration, reader: tx.reader)?.clearance
            try tx.insert(
                OfflineVerificationRecord(record, recordedByUser: principal.user?.id),
                actor: principal.auditActor(naming: person))
            if before != .cleared {
                try self.alerts.candidateClearedIfSo(registration, caseID: input.caseId, tx: tx, now: now)
            }
        }
        logger.info("reference verified outside the exchange", metadata: ["method": "\(input.method.rawValue)"])
        return try await queries.candidateStatus(registration: registration)
    }

    /// Records an appointment (its date; who approved it is the signed-in user). Refused while
    /// the gate is blocked, unless a head of service gives `overrideReason` (recorded,
    /// audited and shown red).
    public func recordAppointment(
        registration: String, _ input: AppointmentInput, by principal: Principal = .node
    ) async throws -> AppointmentView {
        _ = try ProfessionalRegistration(key: registration)
        let person = try principal.actingPerson(named: input.approvedBy, field: "approvedBy")
        guard let day = CalendarDate(input.appointedOn) else {
            throw RefGateError(.invalidInput, "appointedOn must be a date (YYYY-MM-DD)")
        }
        let override = try input.overrideReason.map { try Self.reason($0) }
        if override != nil, let user = principal.user, user.role != .headOfService {
            throw RefGateError(
                .roleForbidden, "only a head of service may record an appointment before the candidate is cleared")
        }
        let now = clock.now()
        let record = try await store.write { tx -> AppointmentRecord in
            guard let gate = try Queries.gate(registration: registration, reader: tx.reader) else {
                throw RefGateError(.notFound, "no candidate with registration \(registration) at this node")
            }
            if gate.clearance == .blocked, override == nil {
                throw RefGateError(
                    .appointmentBlocked,
                    "candidate \(registration) is not cleared: \(gate.reasons.joined(separator: "; ")). A head of service may record it with an overrideReason"
                )
            }
            let record = AppointmentRecord(
                id: TimeOrderedID.make(), registration: registration, appointedOn: day.description, approvedBy: person,
                approvedByUser: principal.user?.id, clearance: gate.clearance,
                overrideReason: gate.clearance == .blocked ? override : nil, recordedAt: now)
            try tx.insert(record, actor: principal.auditActor(naming: person))
            return record
        }
        logger.notice(
            "appointment recorded",
            metadata: ["clearance": "\(record.clearance.rawValue)", "on": "\(record.appointedOn)"])
        return AppointmentView(record)
    }

    /// Text of 1 to `max` characters once trimmed, or `invalid-input` naming the field.
    static func text(_ text: String, _ field: String, max: Int) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...max).contains(trimmed.count) else {
            throw RefGateError(.invalidInput, "\(field) must be 1 to \(max) characters")
        }
        return trimmed
    }
}

/// Body of `POST /api/v1/candidates/{registration}/offline-verifications`.
public struct OfflineVerificationInput: Codable, Sendable {
    /// The case it stands for, if the referee's authority is a member.
    public var caseId: String?
    /// How.
    public var method: OfflineVerification.Method
    /// The person spoken or written to.
    public var verifiedWithName: String
    /// Their authority or employer.
    public var verifiedWithOrganisation: String
    /// When (`YYYY-MM-DD`).
    public var verifiedOn: String
    /// SHA-256 (hex) of an attached document, such as the written confirmation.
    public var documentSHA256: String?
    /// Who recorded it: only from the node's token (the CLI).
    public var recordedBy: Person?

    /// Creates an input.
    public init(
        caseId: String? = nil, method: OfflineVerification.Method, verifiedWithName: String,
        verifiedWithOrganisation: String, verifiedOn: String, documentSHA256: String? = nil, recordedBy: Person? = nil
    ) {
        self.caseId = caseId
        self.method = method
        self.verifiedWithName = verifiedWithName
        self.verifiedWithOrganisation = verifiedWithOrganisation
        self.verifiedOn = verifiedOn
        self.documentSHA256 = documentSHA256
        self.recordedBy = recordedBy
    }
}

/// Body of `POST /api/v1/candidates/{registration}/appointments`.
public struct AppointmentInput: Codable, Sendable {
    /// The date of appointment (`YYYY-MM-DD`).
    public var appointedOn: String
    /// A head of service's reason to record it before clearance.
    public var overrideReason: String?
    /// Who approved it: only from the node's token (the CLI).
    public var approvedBy: Person?

    /// Creates an input.
    public init(appointedOn: String, overrideReason: String? = nil, approvedBy: Person? = nil) {
        self.appointedOn = appointedOn
        self.overrideReason = overrideReason
        self.approvedBy = approvedBy
    }
}
