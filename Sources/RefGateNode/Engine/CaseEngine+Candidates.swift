import Foundation
import RefGateCore
import RefGateStore

extension CaseEngine {
    /// Whether a candidate may be appointed (paras 7–9), from the references this authority
    /// sent for them and their safer-recruitment checklist.
    public func candidateStatus(registration: String) async throws -> AppointmentGate.Status {
        let (cases, checklist) = try await store.read { reader in
            (
                try reader.requestedCases(candidateRegistration: registration),
                try reader.checklist(registration: registration)
            )
        }
        guard !cases.isEmpty || checklist != nil else {
            throw RefGateError(.notFound, "no candidate with registration \(registration) at this node")
        }
        return AppointmentGate.evaluate(
            registration: registration, name: cases.last?.candidateName, role: cases.last?.candidateRole,
            references: cases.map {
                AppointmentGate.Reference(caseId: $0.id, peer: $0.peer, status: $0.status, respondBy: $0.respondBy)
            },
            checklist: checklist?.checklist ?? .empty)
    }

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
        return try await candidateStatus(registration: registration)
    }
}
