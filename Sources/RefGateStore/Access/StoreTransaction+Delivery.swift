import Foundation
import GRDB
import RefGateCore

extension StoreTransaction {
    /// Queues an outgoing message; the deliverer sends it after commit, after the earlier
    /// messages of its case, until `expiresAt`.
    public func enqueue(messageID: String, peer: AuthorityID, caseID: String?, notBefore: Date, expiresAt: Date) throws
    {
        try OutboxEntry(
            messageID: messageID, peer: peer, caseID: caseID, state: .pending, attempts: 0, createdAt: notBefore,
            nextAttemptAt: notBefore, expiresAt: expiresAt
        ).insert(db)
        work.touch(.outbox)
    }

    /// Marks a message delivered and keeps the peer's receipt; `at` is when the receipt
    /// arrived here (the receipt itself says when the peer accepted the message).
    public func markDelivered(_ receipt: ReceiptRecord, at now: Date? = nil) throws {
        try insert(receipt)
        try markDelivered(.outbox, id: receipt.messageID, at: now ?? receipt.receivedAt)
    }

    /// Marks outbox entries delivered and keeps the peer's receipts, as `markDelivered(_:at:)`
    /// does for each, with each entry's case as the outbox holds it (no message is read again),
    /// in a few statements: the receipts up to 64 a statement, the entries 64 a statement.
    public func markDelivered(_ receipts: [(receipt: ReceiptRecord, entry: OutboxEntry)], at now: Date) throws {
        try ReceiptRecord.insertAll(receipts.map(\.receipt), db)
        for (receipt, entry) in receipts { try auditReceipt(receipt, caseID: entry.caseID) }
        for keys in KeyList.chunks(receipts.map(\.receipt.messageID)) {
            try db.run(
                sql: Self.deliveredSQL(.outbox, keys: keys.placeholders),
                arguments: [now.epochMilliseconds] + keys.arguments)
        }
    }

    /// Records a failed attempt that may succeed later, and when to try again.
    public func markRetry(messageID: String, error: String, problem: String?, retryAt: Date) throws {
        try markRetry(.outbox, id: messageID, error: error, retryAt: retryAt)
        try keepProblem(problem, messageID: messageID)
    }

    /// Parks a message the peer refused in a way that cannot heal by itself.
    public func markParked(messageID: String, error: String, problem: String?) throws {
        try markParked(.outbox, id: messageID, error: error)
        try keepProblem(problem, messageID: messageID)
    }

    private func keepProblem(_ problem: String?, messageID: String) throws {
        try db.run(sql: "UPDATE outbox SET last_problem = ? WHERE message_id = ?", arguments: [problem, messageID])
    }

    /// Records a non-delivery: the message was not receipted before its expiry.
    public func markExpired(messageID: String) throws {
        try db.run(
            sql: "UPDATE outbox SET state = 'expired' WHERE message_id = ? AND state = ?",
            arguments: [messageID, Self.pending])
    }

    /// Sends parked messages again (one, or all of a peer's), as from now. Returns how many.
    public func retryParked(messageID: String? = nil, peer: AuthorityID? = nil, at now: Date) throws -> Int {
        let filter = messageID != nil ? "message_id = ?" : "peer = ?"
        let changedRows = try db.changes(
            sql: """
                UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?
                WHERE state = 'parked' AND \(filter)
                """,
            arguments: [now.epochMilliseconds, messageID ?? peer?.rawValue])
        let count = changedRows
        if let peer {
            // An operator says the peer is fixed: probe it now rather than at the next probe time.
            try db.run(
                sql: "UPDATE peer_delivery SET next_probe_at = ? WHERE peer = ? AND consecutive_failures > 0",
                arguments: [now.epochMilliseconds, peer.rawValue])
            try db.run(
                sql:
                    "UPDATE outbox SET next_attempt_at = ? WHERE peer = ? AND state = 'pending' AND next_attempt_at > ?",
                arguments: [now.epochMilliseconds, peer.rawValue, now.epochMilliseconds])
        }
        work.touch(.outbox)
        return count
    }

    /// Makes concurrent intakes of one message id take turns until this transaction commits, so
    /// the later one finds the message stored and answers it as a duplicate. On PostgreSQL
    /// several writers (lanes, instances) apply messages at once, each statement on a fresh
    /// snapshot: without it, a copy could read the message as absent and then find the case
    /// another copy had just committed. SQLite's one writer takes turns by itself.
    public func lockIntake(of messageID: String) throws {
        try lockIntake(of: [messageID])
    }

    /// `lockIntake(of:)` for several message ids at once, in one statement per 64, each id
    /// locked in sorted order (two writers locking overlapping sets cannot wait for each other).
    public func lockIntake(of messageIDs: [String]) throws {
        // The two-key form: a key space apart from the store's own advisory locks.
        guard db.isPostgres else { return }
        for keys in KeyList.chunks(Array(Set(messageIDs)).sorted()) {
            let values = Array(repeating: "(?)", count: keys.arguments.values.count).joined(separator: ", ")
            _ = try db.rows(
                "SELECT pg_advisory_xact_lock(1919248231, hashtext(k)) FROM (VALUES \(values)) AS keys(k)",
                keys.arguments)
        }
    }

    /// How stale a healthy peer's recorded last success may grow before an answer rewrites it.
    static let successRefresh: TimeInterval = 10

    /// Records the release a peer said it runs on a request it sent (its delivery state untouched).
    public func notePeerVersion(_ peer: AuthorityID, _ version: String) throws {
        try db.run(
            sql: """
                INSERT INTO peer_delivery (peer, peer_version) VALUES (?, ?)
                ON CONFLICT(peer) DO UPDATE SET peer_version = excluded.peer_version
                """,
            arguments: [peer.rawValue, version])
    }

    /// The peer answered: it is healthy again. Returns its state before this answer. When it
    /// had been failing, its whole backlog is released to be sent at once.
    ///
    /// A healthy peer's row is rewritten at most every `successRefresh` (its last success is
    /// that coarse): every receipt wrote it, and on PostgreSQL concurrent writers (instances,
    /// lanes) then queued for that one row's lock until each other's commit.
    @discardableResult
    public func markPeerAnswered(_ peer: AuthorityID, at now: Date, version: String? = nil) throws
        -> PeerDeliveryState?
    {
        let before = try reader.peerState(peer)
        if let before, before.consecutiveFailures == 0, before.failingSince == nil, !before.unreachableAlerted,
            version == nil || version == before.peerVersion, let last = before.lastSuccessAt,
            (0..<Self.successRefresh).contains(now.timeIntervalSince(last))
        {
            return before
        }
        try db.run(
            sql: """
                INSERT INTO peer_delivery (peer, consecutive_failures, last_success_at, peer_version) VALUES (?, 0, ?, ?)
                ON CONFLICT(peer) DO UPDATE SET consecutive_failures = 0, failing_since = NULL, next_probe_at = NULL,
                    unreachable_alerted = 0, last_success_at = excluded.last_success_at,
                    peer_version = COALESCE(excluded.peer_version, peer_delivery.peer_version)
                """,
            arguments: [peer.rawValue, now.epochMilliseconds, version])
        if let before, before.consecutiveFailures > 0 {
            try db.run(
                sql:
                    "UPDATE outbox SET next_attempt_at = ? WHERE peer = ? AND state = 'pending' AND next_attempt_at > ?",
                arguments: [now.epochMilliseconds, peer.rawValue, now.epochMilliseconds])
            work.touch(.outbox)
        }
        return before
    }

    /// The peer could not be reached: counts the failure and sets the next probe. Returns the new state.
    public func markPeerFailed(_ peer: AuthorityID, error: String, at now: Date, nextProbeAt: Date) throws
        -> PeerDeliveryState
    {
        try db.run(
            sql: """
                INSERT INTO peer_delivery (peer, consecutive_failures, failing_since, last_failure_at, last_error,
                    next_probe_at)
                VALUES (?, 1, ?, ?, ?, ?)
                ON CONFLICT(peer) DO UPDATE SET consecutive_failures = peer_delivery.consecutive_failures + 1,
                    failing_since = COALESCE(peer_delivery.failing_since, excluded.failing_since),
                    last_failure_at = excluded.last_failure_at, last_error = excluded.last_error,
                    next_probe_at = excluded.next_probe_at
                """,
            arguments: [
                peer.rawValue, now.epochMilliseconds, now.epochMilliseconds, error, nextProbeAt.epochMilliseconds,
            ])
        guard let state = try reader.peerState(peer) else {
            throw RefGateError(.internalError, "peer_delivery row for \(peer) vanished")
        }
        return state
    }

    /// Remembers that operators were told the peer is unreachable (so they are told once, and
    /// get an all-clear when it returns).
    public func markPeerUnreachableAlerted(_ peer: AuthorityID) throws {
        try db.run(
            sql: "UPDATE peer_delivery SET unreachable_alerted = 1 WHERE peer = ?", arguments: [peer.rawValue])
    }
}
