import Foundation
import Hummingbird
import RefGateCore
import RefGateStore

extension Dashboard {
    func addForms(_ router: Router<LocalRequestContext>) {
        router.post("/escalations/:id/acknowledge") { request, context in
            let id: String = try context.parameters.require("id")
            return try await self.form(request, roles: LocalAPI.roles(.post, "/escalations/{id}/acknowledgement")) {
                visitor, _ in
                _ = try await self.commands.acknowledge(
                    escalationID: id, by: nil, as: visitor.user.role.escalationRole, principal: .user(visitor.user))
                return Self.redirect("/escalations?done=acknowledged")
            }
        }
        router.post("/candidates/:registration/checklist") { request, context in
            let registration: String = try context.parameters.require("registration")
            return try await self.form(request, roles: LocalAPI.roles(.post, "/candidates/{registration}/checklist")) {
                visitor, fields in
                let checklist = SaferRecruitmentChecklist(
                    dbsReviewed: fields["dbsReviewed"] == "yes",
                    permanentEmployerReferences: fields["permanentEmployerReferences"] == "yes",
                    employmentGapsChallenged: fields["employmentGapsChallenged"] == "yes")
                _ = try await self.commands.recordChecklist(
                    registration: registration, checklist, recordedBy: nil, by: .user(visitor.user))
                return Self.redirect("/candidates/\(registration)?done=checklist")
            }
        }
        router.post("/cases/:id/escalations") { request, context in
            let id: String = try context.parameters.require("id")
            return try await self.form(request, roles: LocalAPI.roles(.post, "/cases/{id}/escalations")) {
                visitor, fields in
                guard let reason = fields["reason"].flatMap(EscalationReason.init(rawValue:)) else {
                    throw RefGateError(.invalidInput, "choose a reason to escalate")
                }
                let note = fields["note"].flatMap { $0.isEmpty ? nil : $0 }
                _ = try await self.commands.raiseEscalation(
                    caseID: id, reason: reason, raisedBy: nil, note: note, by: .user(visitor.user))
                return Self.redirect("/cases/\(id)")
            }
        }
    }
}
