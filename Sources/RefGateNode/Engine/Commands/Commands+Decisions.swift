import Foundation
import Logging
import RefGateCore
import RefGateStore

extension Commands {
    /// Records a head of service's para 14 decision on a case with a concern (not verified,
    /// referee ineligible, escalated, or the ladder spent). Several may follow one another
    /// (legal advice sought, then referred); each is kept and audited.
    public func recordDecision(
        caseID: String, _ decision: Para14Decision, reason: String, decidedBy named: Person? = nil,
        by principal: Principal = .node
    ) async throws -> DecisionView {
        let person = try principal.actingPerson(named: named, field: "decidedBy")
        let reason = try Self.reason(reason)
        let now = clock.now()
        let record = try await store.write { tx -> DecisionRecord in
            guard let existing = try tx.reader.case(caseID) else {
                throw RefGateError(.unknownCase, "no case \(caseID) at this node")
            }
            let concern = RetentionRule.isConcern(
                status: existing.status, highestEscalationLevel: existing.highestEscalationLevel, decided: false)
            guard concern else {
                throw RefGateError(
                    .invalidTransition,
                    "case \(caseID) holds no concern (it is \(existing.status.rawValue) and was never escalated); para 14 decisions follow a concern"
                )
            }
            let record = DecisionRecord(
                id: TimeOrderedID.make(), caseID: caseID, decision: decision, reason: reason, decidedBy: person,
                decidedByUser: principal.user?.id, decidedAt: now)
            try tx.insert(record, actor: principal.auditActor(naming: person))
            return record
        }
        logger.notice("para 14 decision recorded", metadata: ["case": "\(caseID)", "decision": "\(decision.rawValue)"])
        return DecisionView(record)
    }

    /// Sets a legal hold on a case: retention leaves its personal data alone until it is lifted.
    public func setLegalHold(
        caseID: String, reason: String, by principal: Principal = .node, setBy named: Person? = nil
    )
        async throws -> LegalHoldView
    {
        let person = try principal.actingPerson(named: named, field: "setBy")
        let reason = try Self.reason(reason)
        let now = clock.now()
        let hold = LegalHoldRecord(
            caseID: caseID, reason: reason, setBy: person, setByUser: principal.user?.id, setAt: now)
        try await store.write { tx in
            guard try tx.reader.case(caseID) != nil else {
                throw RefGateError(.unknownCase, "no case \(caseID) at this node")
            }
            try tx.setLegalHold(hold, actor: principal.auditActor(naming: person))
        }
        logger.notice("legal hold set", metadata: ["case": "\(caseID)"])
        return LegalHoldView(hold)
    }

    /// Lifts a case's legal hold; retention applies its rule again at the next run.
    /// The audit log names the signed-in user (or the node's token).
    public func liftLegalHold(caseID: String, by principal: Principal = .node) async throws {
        let now = clock.now()
        try await store.write { tx in
            guard try tx.reader.case(caseID) != nil else {
                throw RefGateError(.unknownCase, "no case \(caseID) at this node")
            }
            guard try tx.liftLegalHold(caseID: caseID, actor: principal.auditActor, at: now) else {
                throw RefGateError(.invalidTransition, "case \(caseID) has no legal hold to lift")
            }
        }
        logger.notice("legal hold lifted", metadata: ["case": "\(caseID)"])
    }

    /// A reason: 1 to 4,000 characters once trimmed.
    static func reason(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...4000).contains(reason.count) else {
            throw RefGateError(.invalidInput, "give a reason, in 1 to 4,000 characters")
        }
        return reason
    }
}
