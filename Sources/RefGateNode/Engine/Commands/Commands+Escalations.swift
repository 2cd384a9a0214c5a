import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

extension Commands {
    /// A person escalates a case this authority asked about: L1 `unsatisfactory-response` or
    /// L2 `serious-concern` (paras 11, 13). The signed notice goes to the other authority.
    public func raiseEscalation(
        caseID: String, reason: EscalationReason, raisedBy: Person, note: String?
    ) async throws -> EscalationView {
        try EscalationRules.check(personRaising: reason)
        guard !raisedBy.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RefGateError(.invalidInput, "say who is raising the escalation (raisedBy.name)")
        }
        let now = clock.now()
        let (escalation, _) = try await store.write { tx in
            guard let record = try tx.reader.case(caseID) else {
                throw RefGateError(.unknownCase, "no case \(caseID) at this node")
            }
            return try self.escalator.escalate(record, reason: reason, raisedBy: raisedBy, note: note, now: now, tx: tx)
        }
        logger.notice(
            "escalation raised",
            metadata: ["case": "\(caseID)", "level": "\(escalation.level)", "reason": "\(reason.rawValue)"])
        return EscalationView(escalation)
    }

    /// A holder of the addressed role acknowledges an escalation this authority received; the
    /// signed acknowledgement goes back. Only the first acknowledgement counts.
    public func acknowledge(escalationID: String, by person: Person, as role: EscalationRole?) async throws
        -> EscalationView
    {
        guard !person.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RefGateError(.invalidInput, "say who is acknowledging (name)")
        }
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
            try tx.acknowledge(escalationID: escalationID, by: person, at: now)
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
