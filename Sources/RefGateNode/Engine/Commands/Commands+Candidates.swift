import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

extension Commands {
    /// Records a candidate's para 9 checklist and returns the candidate's new standing.
    /// The record names the signed-in user; the node's token (the CLI) names `recordedBy`.
    public func recordChecklist(
        registration: String, _ checklist: SaferRecruitmentChecklist, recordedBy: String?,
        by principal: Principal = .node
    ) async throws -> AppointmentGate.Status {
        _ = try ProfessionalRegistration(key: registration)
        let person = try principal.actingPerson(
            named: recordedBy.map { Person(name: $0, role: "recruiter") }, field: "recordedBy")
        let actor = principal.auditActor(naming: person)
        let recordedBy = person.name.trimmingCharacters(in: .whitespacesAndNewlines)
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
            let before = try Queries.gate(registration: registration, reader: tx.reader)?.clearance
            try tx.save(record, actor: actor)
            if before != .cleared {
                try self.alerts.candidateClearedIfSo(registration, caseID: nil, tx: tx, now: record.updatedAt)
            }
        }
        logger.info("checklist recorded", metadata: ["candidate": "\(registration)", "by": "\(recordedBy)"])
        return try await queries.candidateStatus(registration: registration)
    }
}
