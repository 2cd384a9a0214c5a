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
        let recordedBy = recordedBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(recordedBy.count) else {
            throw RefGateError(.invalidInput, "say who recorded the checklist (recordedBy), in 1 to 200 characters")
        }
        let record = ChecklistRecord(
            registration: registration, checklist: checklist, recordedBy: recordedBy, updatedAt: clock.now())
        try await store.write { tx in
            // A checklist belongs to a candidate this node asked references for.
            guard try !tx.reader.requestedCases(candidateRegistration: registration).isEmpty else {
                throw RefGateError(
                    .notFound, "no candidate with registration \(registration) at this node: send a request first")
            }
            try tx.save(record)
        }
        logger.info("checklist recorded", metadata: ["candidate": "\(registration)", "by": "\(recordedBy)"])
        return try await queries.candidateStatus(registration: registration)
    }
}
