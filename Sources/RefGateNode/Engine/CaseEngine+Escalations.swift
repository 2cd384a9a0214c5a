import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust

extension CaseEngine {
    /// The node itself, as the raiser of deadline and ineligible-referee escalations.
    static let system = Person(name: "refgate", role: "automatic escalation")

    /// A person escalates a case this authority asked about: L1 `unsatisfactory-response` or
    /// L2 `serious-concern` (paras 11, 13). The signed notice goes to the other authority.
    public func raiseEscalation(
        caseID: String, reason: EscalationReason, raisedBy: Person, note: String?
    ) async throws -> EscalationRecord {
        try EscalationRules.check(personRaising: reason)
        guard !raisedBy.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RefGateError(.invalidInput, "say who is raising the escalation (raisedBy.name)")
        }
        let now = clock.now()
        let (escalation, _) = try await store.write { tx in
            guard let record = try tx.reader.case(caseID) else {
                throw RefGateError(.unknownCase, "no case \(caseID) at this node")
            }
            return try self.escalate(record, reason: reason, raisedBy: raisedBy, note: note, now: now, tx: tx)
        }
        outboxSignal.signal()
        notificationSignal.signal()
        deadlineSignal.signal()
        logger.notice(
            "escalation raised",
            metadata: ["case": "\(caseID)", "level": "\(escalation.level)", "reason": "\(reason.rawValue)"])
        return escalation
    }

    /// Raises an escalation inside a transaction: checks the rules, records it, queues the
    /// signed notice and tells this authority's holders of the role. Shared by people, the
    /// ineligible-referee rule and the deadline scheduler.
    func escalate(
        _ record: CaseRecord, reason: EscalationReason, raisedBy: Person, note: String?, now: Date,
        tx: StoreTransaction
    ) throws -> (EscalationRecord, EscalationNotice) {
        try EscalationRules.check(
            raising: reason, side: record.side, status: record.status, currentLevel: record.escalationLevel)
        let level = reason.level
        let due = DeadlineLadder.escalationDue(level: level, raisedAt: now, policy: policy)
        let notice = EscalationNotice(
            id: UUID().uuidString.lowercased(), caseId: record.id, from: authority, to: record.peer, sentAt: now,
            escalationId: UUID().uuidString.lowercased(), level: level, reason: reason,
            roleAddressed: EscalationRole(level: level), raisedBy: raisedBy, respondBy: due, note: note)
        let escalation = EscalationRecord(
            id: notice.escalationId, caseID: record.id, level: level, reason: reason, role: notice.roleAddressed,
            raisedBy: raisedBy, note: note, raisedAt: now, dueAt: due, noticeMessageID: notice.id)
        try tx.insert(escalation)
        try queueOutgoing(
            notice, id: notice.id, caseID: record.id, kind: .escalationNotice, to: record.peer, now: now, tx: tx)
        for notification in planner.escalationRaised(escalation, case: record, now: now) {
            try tx.enqueue(notification)
        }
        return (escalation, notice)
    }

    /// A holder of the addressed role acknowledges an escalation this authority received; the
    /// signed acknowledgement goes back. Only the first acknowledgement counts.
    public func acknowledge(escalationID: String, by person: Person) async throws -> EscalationRecord {
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
            guard escalation.acknowledgedAt == nil else { return escalation }
            guard escalation.closedAt == nil else {
                throw RefGateError(.invalidTransition, "escalation \(escalationID) is already closed")
            }
            let acknowledgement = EscalationAcknowledgement(
                id: UUID().uuidString.lowercased(), caseId: record.id, from: me, to: record.peer, sentAt: now,
                escalationId: escalationID, acknowledgedBy: person)
            try tx.acknowledge(escalationID: escalationID, by: person, at: now)
            try self.queueOutgoing(
                acknowledgement, id: acknowledgement.id, caseID: record.id, kind: .escalationAcknowledgement,
                to: record.peer, now: now, tx: tx)
            escalation.acknowledgedAt = now
            escalation.acknowledgedBy = person
            return escalation
        }
        outboxSignal.signal()
        return escalation
    }

    /// Escalations held by this node, newest first.
    public func escalations(openOnly: Bool = false, role: EscalationRole? = nil) async throws -> [EscalationRecord] {
        try await store.read { try $0.escalations(openOnly: openOnly, role: role) }
    }

    // MARK: Incoming

    func applyIncoming(_ notice: EscalationNotice, tx: StoreTransaction, now: Date) throws {
        guard let record = try tx.reader.case(notice.caseId), record.side == .responder, record.peer == notice.from
        else {
            throw RefGateError(.unknownCase, "no case \(notice.caseId) is owed to \(notice.from) by this authority")
        }
        guard notice.level > record.escalationLevel, notice.reason.level == notice.level,
            notice.roleAddressed == EscalationRole(level: notice.level)
        else {
            throw RefGateError(
                .invalidTransition,
                "a level \(notice.level) \(notice.reason.rawValue) notice to \(notice.roleAddressed.rawValue)s does not fit case \(record.id) at level \(record.escalationLevel)"
            )
        }
        guard try tx.reader.escalation(notice.escalationId) == nil else {
            throw RefGateError(
                .invalidTransition, "escalation \(notice.escalationId) is already recorded here under another notice")
        }
        var escalation = EscalationRecord(
            id: notice.escalationId, caseID: record.id, level: notice.level, reason: notice.reason,
            role: notice.roleAddressed, raisedBy: notice.raisedBy, note: notice.note, raisedAt: now,
            dueAt: notice.respondBy, noticeMessageID: notice.id)
        // Remind the role holders until one of them acknowledges.
        escalation.nextReminderAt = DeadlineLadder.nextReminder(after: now, policy: policy)
        try tx.insert(escalation)
        for notification in planner.escalationReceived(escalation, case: record, now: now) {
            try tx.enqueue(notification)
        }
    }

    func applyIncoming(_ acknowledgement: EscalationAcknowledgement, tx: StoreTransaction, now: Date) throws {
        guard let escalation = try tx.reader.escalation(acknowledgement.escalationId),
            let record = try tx.reader.case(escalation.caseID), record.side == .requester,
            record.peer == acknowledgement.from, record.id == acknowledgement.caseId
        else {
            throw RefGateError(
                .unknownCase, "no escalation \(acknowledgement.escalationId) was raised with \(acknowledgement.from)")
        }
        try tx.acknowledge(escalationID: escalation.id, by: acknowledgement.acknowledgedBy, at: now)
    }

    /// After a response on either side: close open escalations and tell those escalated to;
    /// on the commissioning side, an ineligible referee opens level 1 at once (para 10).
    func afterResponse(
        _ record: CaseRecord, outcome: VerificationOutcome, tx: StoreTransaction, now: Date
    ) throws {
        let effect = ResponseRules.effect(of: outcome, side: record.side)
        let closed = try tx.closeEscalations(caseID: record.id, at: now)
        var current = record
        current.escalationLevel = effect.escalationLevel
        current.status = effect.status
        for notification in planner.escalationsResolved(closed, case: current, outcome: outcome, now: now)
            + planner.afterOutcome(outcome, caseID: record.id, role: record.candidateRole, now: now)
        {
            try tx.enqueue(notification)
        }
        if let reason = effect.raise {
            _ = try escalate(current, reason: reason, raisedBy: Self.system, note: nil, now: now, tx: tx)
        }
    }
}
