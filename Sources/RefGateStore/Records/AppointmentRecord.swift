import Foundation
import GRDB
import RefGateCore

/// An appointment the commissioning authority recorded: when, who approved it, and whether
/// the candidate was cleared then (an appointment before clearance needs a head of service's
/// recorded reason).
public struct AppointmentRecord: Sendable, Hashable {
    /// Its id.
    public var id: String
    /// The candidate's key.
    public var registration: String
    /// The date of appointment (`YYYY-MM-DD`).
    public var appointedOn: String
    /// Who approved it.
    public var approvedBy: Person
    /// Their user account, when a person signed in.
    public var approvedByUser: String?
    /// The gate when it was recorded.
    public var clearance: AppointmentGate.Clearance
    /// Why a head of service let it go ahead before clearance, if they did.
    public var overrideReason: String?
    /// When it was recorded.
    public var recordedAt: Date

    /// Creates a record.
    public init(
        id: String, registration: String, appointedOn: String, approvedBy: Person, approvedByUser: String?,
        clearance: AppointmentGate.Clearance, overrideReason: String?, recordedAt: Date
    ) {
        self.id = id
        self.registration = registration
        self.appointedOn = appointedOn
        self.approvedBy = approvedBy
        self.approvedByUser = approvedByUser
        self.clearance = clearance
        self.overrideReason = overrideReason
        self.recordedAt = recordedAt
    }

    init(row: Row) throws {
        let text: String = row["clearance"]
        guard let clearance = AppointmentGate.Clearance(rawValue: text) else {
            throw RefGateError(
                .storedDataUnknown, "appointment \(row["id"] as String) has an unknown clearance \(text)")
        }
        self.init(
            id: row["id"], registration: row["registration"], appointedOn: row["appointed_on"],
            approvedBy: Person(name: row["approved_by_name"], role: row["approved_by_role"]),
            approvedByUser: row["approved_by_user"], clearance: clearance, overrideReason: row["override_reason"],
            recordedAt: row.instant("recorded_at"))
    }
}

extension AppointmentRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "appointments"

    /// Its columns, as `init(row:)` reads them.
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["registration"] = registration
        container["appointed_on"] = appointedOn
        container["approved_by_name"] = approvedBy.name
        container["approved_by_role"] = approvedBy.role
        container["approved_by_user"] = approvedByUser
        container["clearance"] = clearance.rawValue
        container["override_reason"] = overrideReason
        container["recorded_at"] = recordedAt.epochMilliseconds
    }
}

/// A reference verified outside the signed exchange (paras 6–7), as stored.
public struct OfflineVerificationRecord: Sendable, Hashable {
    /// The verification.
    public var value: OfflineVerification
    /// The user account that recorded it, when a person signed in.
    public var recordedByUser: String?

    /// Creates a record.
    public init(_ value: OfflineVerification, recordedByUser: String?) {
        self.value = value
        self.recordedByUser = recordedByUser
    }

    init(row: Row) throws {
        let text: String = row["method"]
        guard let method = OfflineVerification.Method(rawValue: text) else {
            throw RefGateError(.storedDataUnknown, "verification \(row["id"] as String) has an unknown method \(text)")
        }
        self.init(
            OfflineVerification(
                id: row["id"], registration: row["registration"], caseID: row["case_id"], method: method,
                verifiedWithName: row["verified_with_name"],
                verifiedWithOrganisation: row["verified_with_organisation"],
                verifiedOn: row["verified_on"], documentSHA256: row["document_sha256"],
                recordedBy: Person(name: row["recorded_by_name"], role: row["recorded_by_role"]),
                recordedAt: row.instant("recorded_at")),
            recordedByUser: row["recorded_by_user"])
    }
}

extension OfflineVerificationRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "offline_verifications"

    /// Its columns, as `init(row:)` reads them.
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = value.id
        container["registration"] = value.registration
        container["case_id"] = value.caseID
        container["method"] = value.method.rawValue
        container["verified_with_name"] = value.verifiedWithName
        container["verified_with_organisation"] = value.verifiedWithOrganisation
        container["verified_on"] = value.verifiedOn
        container["document_sha256"] = value.documentSHA256
        container["recorded_by_name"] = value.recordedBy.name
        container["recorded_by_role"] = value.recordedBy.role
        container["recorded_by_user"] = recordedByUser
        container["recorded_at"] = value.recordedAt.epochMilliseconds
    }
}
