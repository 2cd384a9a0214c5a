import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

extension Intake {
    // MARK: Incoming

    func applyIncoming(_ notice: EscalationNotice, tx: StoreTransaction, now: Date) throws {
        guard let record = try tx.reader.case(notice.caseId), record.side == .responder, record.peer == notice.from
        else {
            throw RefGateError(.unknownCase, "no case \(notice.caseId) is owed to \(notice.from) by this authority")
        }
        try EscalationRules.check(
            receiving: notice.level, reason: notice.reason, addressedTo: notice.roleAddressed,
            currentLevel: record.escalationLevel, caseID: record.id)
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
        try tx.apply(EscalationRules.transition(raising: escalation.level, caseID: record.id), at: now)
        for notification in planner.escalationReceived(escalation, case: record, now: now) {
            try tx.enqueue(notification)
        }
        try escalator.remindOfStandards(
            record, concern: notice.reason.rawValue, level: notice.level, now: now, tx: tx)
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
}
