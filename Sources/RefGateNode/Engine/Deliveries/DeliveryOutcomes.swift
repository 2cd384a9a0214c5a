import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// What became of each delivery attempt, recorded: delivered, retry later, parked, peer
/// unavailable, expired undelivered; with the operator notifications each calls for.
public struct DeliveryOutcomes: Sendable {
    let store: Store
    let clock: any NodeClock
    let planner: NotificationPlanner
    let metrics: NodeMetrics
    let logger: Logger

    /// Refusals in a row after which operators are told a message is failing repeatedly.
    static let repeatedFailureAlert = 10

    /// The peer receipted messages (each with its outbox entry), all recorded in one write.
    /// If the peer had been failing, its backlog is released (and the store wakes the deliverer).
    /// `version` is the release the peer said it runs, kept for delivery health.
    func delivered(
        _ receipts: [(receipt: ReceiptRecord, entry: OutboxEntry)], peer: AuthorityID, version: String? = nil
    ) async throws {
        let now = clock.now()
        _ = try await store.write { tx in
            try tx.markDelivered(receipts, at: now)
            return try self.peerAnswered(peer, now: now, version: version, tx: tx)
        }
        for (_, entry) in receipts {
            metrics.delivery(.receipted, peer: peer)
            metrics.deliveryLatency(now.timeIntervalSince(entry.createdAt))
        }
    }

    /// The peer answered but refused for a reason that can heal: try again after `delay`. At
    /// the tenth such refusal operators are told (once), with the peer's problem.
    func retryLater(_ entry: OutboxEntry, error: String, problem: String?, delay: TimeInterval) async throws {
        let now = clock.now()
        let alert = entry.attempts + 1 == Self.repeatedFailureAlert
        _ = try await store.write { tx in
            try tx.markRetry(
                messageID: entry.messageID, error: error, problem: problem, retryAt: now.addingTimeInterval(delay))
            if alert, let kind = try tx.reader.message(entry.messageID)?.kind {
                for notification in self.planner.failingRepeatedly(entry, kind: kind, error: error, now: now) {
                    try tx.enqueue(notification)
                }
            }
            return try self.peerAnswered(entry.peer, now: now, tx: tx)
        }
        metrics.delivery(.retry, peer: entry.peer)
    }

    /// The peer refused for good: park the message and tell operators.
    func parked(_ entry: OutboxEntry, kind: MessageKind, error: String, problem: String?) async throws {
        let now = clock.now()
        _ = try await store.write { tx in
            try tx.markParked(messageID: entry.messageID, error: error, problem: problem)
            try tx.appendAudit(
                AuditEvent(
                    .deliveryParked, caseID: entry.caseID, subject: entry.messageID,
                    detail: ["peer": entry.peer.rawValue, "kind": kind.rawValue]),
                at: now)
            for notification in self.planner.deliveryParked(entry, kind: kind, error: error, now: now) {
                try tx.enqueue(notification)
            }
            return try self.peerAnswered(entry.peer, now: now, tx: tx)
        }
        metrics.delivery(.parked, peer: entry.peer)
        logger.error(
            "peer refused a message; parked for an operator",
            metadata: ["message": "\(entry.messageID)", "peer": "\(entry.peer)", "error": "\(error)"])
    }

    /// The peer could not be reached: the message waits, the peer is probed, and operators
    /// are alerted once it has failed for longer than `unreachableAfter`.
    func peerUnavailable(
        _ entry: OutboxEntry, error: String, retryAfter: TimeInterval?, timing: DeliveryTiming
    ) async throws {
        let now = clock.now()
        let alerted = try await store.write { tx -> Bool in
            let previous = try tx.reader.peerState(entry.peer)?.consecutiveFailures ?? 0
            let probeAt = now.addingTimeInterval(timing.probeDelay(afterFailures: previous, retryAfter: retryAfter))
            try tx.markRetry(
                messageID: entry.messageID, error: error, problem: nil,
                retryAt: now.addingTimeInterval(max(timing.backoff(afterAttempts: entry.attempts), retryAfter ?? 0)))
            let state = try tx.markPeerFailed(entry.peer, error: error, at: now, nextProbeAt: probeAt)
            guard let since = state.failingSince, !state.unreachableAlerted,
                now.timeIntervalSince(since) >= timing.unreachableAfter
            else { return false }
            let backlog = try tx.reader.peerHealth().first { $0.peer == entry.peer }?.backlog ?? 0
            for notification in self.planner.peerUnreachable(
                entry.peer, since: since, lastError: error, backlog: backlog, now: now)
            {
                try tx.enqueue(notification)
            }
            try tx.markPeerUnreachableAlerted(entry.peer)
            return true
        }
        metrics.delivery(.unavailable, peer: entry.peer)
        if alerted {
            logger.error("peer unreachable; operators alerted", metadata: ["peer": "\(entry.peer)"])
        }
    }

    /// Pending messages past their expiry become non-deliveries: recorded, operators told, and
    /// an undelivered request's case is treated as unanswered. Returns how many expired.
    func expireUndelivered(now: Date) async throws -> Int {
        // A read first: the deliverer asks on every wake, and nearly always nothing has expired.
        guard try await store.read({ try !$0.expiredOutbox(now: now, limit: 1).isEmpty }) else { return 0 }
        let expired = try await store.write { tx -> [OutboxEntry] in
            let entries = try tx.reader.expiredOutbox(now: now, limit: 100)
            for entry in entries {
                guard let message = try tx.reader.message(entry.messageID) else { continue }
                try tx.markExpired(messageID: entry.messageID)
                try tx.appendAudit(
                    AuditEvent(
                        .deliveryExpired, caseID: entry.caseID, subject: entry.messageID,
                        detail: ["peer": entry.peer.rawValue, "kind": message.kind.rawValue]),
                    at: now)
                for notification in self.planner.nonDelivery(entry, kind: message.kind, now: now) {
                    try tx.enqueue(notification)
                }
                // An undelivered request: `DeadlineLadder` now counts the case as unanswered.
                if message.kind == .verificationRequest, let caseID = entry.caseID {
                    tx.caseChanged(caseID)
                }
            }
            return entries
        }
        // Counted once committed: a failed group commit must not show as expired deliveries.
        for entry in expired { metrics.delivery(.expired, peer: entry.peer) }
        if !expired.isEmpty {
            logger.error(
                "messages expired undelivered (non-delivery recorded)", metadata: ["count": "\(expired.count)"])
        }
        return expired.count
    }

    /// Any answer from the peer shows it is reachable; an all-clear follows an unreachable alert.
    private func peerAnswered(_ peer: AuthorityID, now: Date, version: String? = nil, tx: StoreTransaction) throws
        -> PeerDeliveryState?
    {
        let before = try tx.markPeerAnswered(peer, at: now, version: version)
        if let before, before.unreachableAlerted {
            for notification in planner.peerReachable(peer, since: before.failingSince, now: now) {
                try tx.enqueue(notification)
            }
        }
        return before
    }
}
