import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// A candidate's references verified outside the exchange, oldest first.
    public func offlineVerifications(registration: String) throws -> [OfflineVerification] {
        try Row.fetchAll(
            try db.cached("SELECT * FROM offline_verifications WHERE registration = ? ORDER BY recorded_at, id"),
            arguments: [registration]
        ).map { try OfflineVerificationRecord(row: $0).value }
    }

    /// Appointments, newest first; one candidate's when `registration` is given.
    public func appointments(registration: String? = nil) throws -> [AppointmentRecord] {
        if let registration {
            return try Row.fetchAll(
                try db.cached("SELECT * FROM appointments WHERE registration = ? ORDER BY recorded_at DESC, id"),
                arguments: [registration]
            ).map(AppointmentRecord.init)
        }
        return try Row.fetchAll(try db.cached("SELECT * FROM appointments ORDER BY recorded_at DESC, id"))
            .map(AppointmentRecord.init)
    }
}

extension StoreTransaction {
    /// Records a reference verified outside the exchange; audited on its case, if it has one.
    public func insert(_ record: OfflineVerificationRecord, actor: AuditActor) throws {
        try record.insert(db)
        try appendAudit(
            AuditEvent(
                .referenceVerifiedOutside, caseID: record.value.caseID, subject: record.value.id, actor: actor,
                detail: ["method": record.value.method.rawValue]),
            at: record.value.recordedAt)
        if let caseID = record.value.caseID { caseChanged(caseID) }
    }

    /// Records an appointment, audited with the gate's state and any override.
    public func insert(_ appointment: AppointmentRecord, actor: AuditActor) throws {
        try appointment.insert(db)
        var detail = ["clearance": appointment.clearance.rawValue, "appointedOn": appointment.appointedOn]
        if appointment.overrideReason != nil { detail["override"] = "head of service" }
        try appendAudit(
            AuditEvent(.appointmentRecorded, subject: appointment.id, actor: actor, detail: detail),
            at: appointment.recordedAt)
    }
}
