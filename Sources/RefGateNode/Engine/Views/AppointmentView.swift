import Foundation
import RefGateCore
import RefGateStore

/// An appointment as the local API shows it.
public struct AppointmentView: Codable, Sendable, Hashable {
    /// Its id.
    public var id: String
    /// The candidate's key.
    public var registration: String
    /// The date of appointment.
    public var appointedOn: String
    /// Who approved it.
    public var approvedBy: Person
    /// Their user account, if a person signed in.
    public var approvedByUser: String?
    /// The gate when it was recorded.
    public var clearance: AppointmentGate.Clearance
    /// True when it was recorded before the candidate was cleared (a head of service's override).
    public var beforeClearance: Bool
    /// The head of service's reason, for an appointment before clearance.
    public var overrideReason: String?
    /// When it was recorded.
    public var recordedAt: Date

    /// The view of a stored record.
    public init(_ record: AppointmentRecord) {
        id = record.id
        registration = record.registration
        appointedOn = record.appointedOn
        approvedBy = record.approvedBy
        approvedByUser = record.approvedByUser
        clearance = record.clearance
        beforeClearance = record.clearance == .blocked
        overrideReason = record.overrideReason
        recordedAt = record.recordedAt
    }
}
