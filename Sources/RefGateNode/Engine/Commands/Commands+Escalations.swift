import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

extension Commands {
    /// A person escalates a case this authority asked about: L1 `unsatisfactory-response` or
    /// L2 `serious-concern` (paras 11, 13). The signed notice goes to the other authority.
    /// The signed notice names the signed-in user; the node's token (the CLI) names `raisedBy`.
    public func raiseEscalation(
        caseID: String, reason: EscalationReason, raisedBy: Person?, note: String?, by principal: Principal = .node
    ) async throws -> EscalationView {
        try EscalationRules.check(personRaising: reason)
        let raisedBy = try principal.actingPerson(named: raisedBy, field: "raisedBy")
        let actor = principal.auditActor(naming: raisedBy)
        let now = clock.now()
        let (escalation, _) = try await store.write { tx in
            guard let record = try tx.reader.case(caseID) else {
                throw RefGateError(.unknownCase, "no case \(caseID) at this node")
            }
            return try self.escalator.escalate(
                record, reason: reason, raisedBy: raisedBy, actor: actor, note: note, now: now, tx: tx)
        }
        logger.notice(
            "escalation raised",
            metadata: ["case": "\(caseID)", "level": "\(escalation.level)", "reason": "\(reason.rawValue)"])
        return EscalationView(escalation)
    }

    /// A holder of the addressed role acknowledges an escalation this authority received; the
    /// signed acknowledgement goes back. Only the first acknowledgement counts. It names the
    /// signed-in user; the node's token (the CLI) names `person`.
    public func acknowledge(
        escalationID: String, by person: Person?, as role: EscalationRole?, principal: Principal = .node
    ) async throws -> EscalationView {
        let person = try principal.actingPerson(named: person, field: "acknowledgedBy")
        let actor = principal.auditActor(naming: person)
        let now = clock.now()
        let me = authority
        let signer = self.signer
        let escalation = try await store.write { tx -> EscalationRecord in
            guard var escalation = try tx.reader.escalation(escalationID),
                let record = try tx.reader.case(escalation.caseID)
            else {
                throw RefGateError(.notFound, "no escalation \(escalationID) at this node")
            }
            guard record.side == .responder else {
                throw RefGateError(
                    .invalidTransition,
                    "this authority raised escalation \(escalationID); \(record.peer) acknowledges it")
            }
            try EscalationRules.check(acknowledging: escalation.role, as: role)
            guard escalation.acknowledgedAt == nil else { return escalation }
            guard escalation.closedAt == nil else {
                throw RefGateError(.invalidTransition, "escalation \(escalationID) is already closed")
            }
            let acknowledgement = EscalationAcknowledgement(
                id: TimeOrderedID.make(), caseId: record.id, from: me, to: record.peer, sentAt: now,
                escalationId: escalationID, acknowledgedBy: person)
            try tx.acknowledge(escalationID: escalationID, by: person, actor: actor, at: now)
            try self.outbox.queue(
                acknowledgement, id: acknowledgement.id, caseID: record.id, kind: .escalationAcknowledgement,
                to: record.peer, now: now, tx: tx)
            escalation.acknowledgedAt = now
            escalation.acknowledgedBy = person
            return escalation
        }
        return EscalationView(escalation)
    }
}
