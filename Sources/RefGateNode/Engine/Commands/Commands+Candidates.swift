import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

extension Commands {
    /// Records a candidate's para 9 checklist and returns the candidate's new standing.
    public func recordChecklist(
        registration: String, _ checklist: SaferRecruitmentChecklist, recordedBy: String
    ) async throws -> AppointmentGate.Status {
        try SocialWorkRegistration.check(registration)
        guard !recordedBy.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RefGateError(.invalidInput, "say who recorded the checklist (recordedBy)")
        }
        let record = ChecklistRecord(
            registration: registration, checklist: checklist, recordedBy: recordedBy, updatedAt: clock.now())
        try await store.write { tx in try tx.record(record) }
        logger.info("checklist recorded", metadata: ["candidate": "\(registration)", "by": "\(recordedBy)"])
        return try await Queries(context: context).candidateStatus(registration: registration)
    }
}
