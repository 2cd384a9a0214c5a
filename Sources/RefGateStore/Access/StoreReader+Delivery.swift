import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// A pending message is held back while an earlier message of its case is pending or
    /// parked: a level 1 notice never overtakes its own request.
    static let inCaseOrder = """
        NOT EXISTS (SELECT 1 FROM outbox e WHERE e.case_id = o.case_id AND e.rowid < o.rowid
            AND e.state IN ('pending', 'parked'))
        """

    /// The outbox entry of a message.
    public func outboxEntry(messageID: String) throws -> OutboxEntry? {
        try OutboxEntry.fetchOne(try db.cached("SELECT * FROM outbox WHERE message_id = ?"), arguments: [messageID])
    }

    /// Pending deliveries due at `now` to peers that are not failing, earliest first, each the
    /// next of its case, and not claimed by another instance. Failing peers get one probe at a
    /// time (`probeEntry`). `locking` (in a write, on PostgreSQL) locks the rows it returns and
    /// skips those another instance has locked, for `StoreTransaction.claim`.
    public func dueOutbox(now: Date, limit: Int, locking: Bool = false) throws -> [OutboxEntry] {
        try OutboxEntry.fetchAll(
            try db.cached(
                """
                SELECT o.* FROM outbox o
                WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND o.expires_at > ?
                    AND (o.claimed_until IS NULL OR o.claimed_until <= ?)
                    AND o.peer NOT IN (SELECT peer FROM peer_delivery WHERE consecutive_failures > 0)
                    AND \(Self.inCaseOrder)
                ORDER BY o.next_attempt_at, o.rowid LIMIT ?\(lockSuffix(locking))
                """),
            arguments: [now.epochMilliseconds, now.epochMilliseconds, now.epochMilliseconds, limit]
        )
    }

    /// `FOR UPDATE OF o SKIP LOCKED` on PostgreSQL when asked (SQLite's one writer needs none).
    func lockSuffix(_ locking: Bool, table: String = "o") -> String {
        locking && db.isPostgres ? " FOR UPDATE OF \(table) SKIP LOCKED" : ""
    }

    /// Failing peers whose next probe is due.
    public func peersDueForProbe(now: Date) throws -> [AuthorityID] {
        try String.fetchAll(
            try db.cached(
                """
                SELECT p.peer FROM peer_delivery p
                WHERE p.consecutive_failures > 0 AND p.next_probe_at <= ?
                    AND EXISTS (SELECT 1 FROM outbox o WHERE o.peer = p.peer AND o.state = 'pending')
                """),
            arguments: [now.epochMilliseconds]
        ).compactMap(AuthorityID.init(rawValue:))
    }

    /// The message to probe a failing peer with: its oldest deliverable one, whatever its own
    /// retry time, so a peer that returns is noticed at the next probe.
    public func probeEntry(peer: AuthorityID, now: Date, locking: Bool = false) throws -> OutboxEntry? {
        try OutboxEntry.fetchOne(
            try db.cached(
                """
                SELECT o.* FROM outbox o
                WHERE o.peer = ? AND o.state = 'pending' AND o.expires_at > ? AND \(Self.inCaseOrder)
                    AND (o.claimed_until IS NULL OR o.claimed_until <= ?)
                ORDER BY o.rowid LIMIT 1\(lockSuffix(locking))
                """),
            arguments: [peer.rawValue, now.epochMilliseconds, now.epochMilliseconds]
        )
    }

    /// Pending messages whose expiry has passed.
    public func expiredOutbox(now: Date, limit: Int) throws -> [OutboxEntry] {
        try OutboxEntry.fetchAll(
            try db.cached(
                "SELECT * FROM outbox WHERE state = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?"),
            arguments: [now.epochMilliseconds, limit]
        )
    }

    /// When the deliverer next has something to do: a retry, a probe or an expiry.
    public func nextOutboxWake() throws -> Date? {
        let retry = try Int64.fetchOne(
            try db.cached(
                """
                SELECT MIN(CASE WHEN o.claimed_until > o.next_attempt_at THEN o.claimed_until ELSE o.next_attempt_at END)
                FROM outbox o
                WHERE o.state = 'pending'
                    AND o.peer NOT IN (SELECT peer FROM peer_delivery WHERE consecutive_failures > 0)
                    AND \(Self.inCaseOrder)
                """))
        let probe = try Int64.fetchOne(
            try db.cached(
                """
                SELECT MIN(p.next_probe_at) FROM peer_delivery p
                WHERE p.consecutive_failures > 0
                    AND EXISTS (SELECT 1 FROM outbox o WHERE o.peer = p.peer AND o.state = 'pending')
                """))
        let expiry = try Int64.fetchOne(try db.cached("SELECT MIN(expires_at) FROM outbox WHERE state = 'pending'"))
        return [retry, probe, expiry].compactMap { $0 }.min().map(Date.init(epochMilliseconds:))
    }

    /// Counts of outbox entries by state.
    public func outboxCounts() throws -> [OutboxEntry.State: Int] {
        var counts: [OutboxEntry.State: Int] = [:]
        for row in try Row.fetchAll(try db.cached("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")) {
            let state: String = row["state"]
            if let state = OutboxEntry.State(rawValue: state) { counts[state] = row["n"] }
        }
        return counts
    }

    /// How many outbox entries wait for delivery; cheap (it reads only the index of pending entries).
    public func pendingOutboxCount() throws -> Int {
        try Int.fetchOne(try db.cached("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")) ?? 0
    }

    /// The release a peer last said it runs (`RefGate-Version`), if it ever said.
    public func peerVersion(_ peer: AuthorityID) throws -> String? {
        try String.fetchOne(
            try db.cached("SELECT peer_version FROM peer_delivery WHERE peer = ?"), arguments: [peer.rawValue])
    }

    /// The deliverer's memory of a peer.
    public func peerState(_ peer: AuthorityID) throws -> PeerDeliveryState? {
        try Row.fetchOne(try db.cached("SELECT * FROM peer_delivery WHERE peer = ?"), arguments: [peer.rawValue])
            .map(PeerDeliveryState.init(row:))
    }

    /// Delivery health of every peer this node has sent to.
    public func peerHealth() throws -> [PeerDeliveryHealth] {
        let rows = try Row.fetchAll(
            try db.cached(
                """
                WITH peers AS (SELECT DISTINCT peer FROM outbox UNION SELECT peer FROM peer_delivery)
                SELECT peers.peer, p.last_success_at, COALESCE(p.consecutive_failures, 0) AS failures,
                    p.failing_since, p.last_error, p.next_probe_at, p.peer_version,
                    (SELECT COUNT(*) FROM outbox o WHERE o.peer = peers.peer AND o.state = 'pending') AS backlog,
                    (SELECT MIN(created_at) FROM outbox o WHERE o.peer = peers.peer AND o.state = 'pending') AS oldest,
                    (SELECT MIN(next_attempt_at) FROM outbox o WHERE o.peer = peers.peer AND o.state = 'pending')
                        AS next_attempt,
                    (SELECT COUNT(*) FROM outbox o WHERE o.peer = peers.peer AND o.state = 'parked') AS parked,
                    (SELECT COUNT(*) FROM outbox o WHERE o.peer = peers.peer AND o.state = 'expired') AS expired
                FROM peers LEFT JOIN peer_delivery p ON p.peer = peers.peer
                ORDER BY peers.peer
                """))
        return rows.compactMap { row in
            guard let peer = AuthorityID(rawValue: row["peer"]) else { return nil }
            let failures: Int = row["failures"]
            let backlog: Int = row["backlog"]
            return PeerDeliveryHealth(
                peer: peer, lastSuccessAt: row.optionalInstant("last_success_at"), consecutiveFailures: failures,
                failingSince: row.optionalInstant("failing_since"), lastError: row["last_error"], backlog: backlog,
                oldestUndeliveredAt: row.optionalInstant("oldest"),
                nextAttemptAt: backlog == 0
                    ? nil : (failures > 0 ? row.optionalInstant("next_probe_at") : row.optionalInstant("next_attempt")),
                parked: row["parked"], expired: row["expired"], peerVersion: row["peer_version"])
        }
    }

    /// Messages for an operator to look at: parked, expired, or pending after `minAttempts` failures.
    public func deliveryProblems(minAttempts: Int = 3) throws -> [(entry: OutboxEntry, kind: MessageKind)] {
        try Row.fetchAll(
            try db.cached(
                """
                SELECT o.*, m.kind FROM outbox o JOIN messages m ON m.id = o.message_id
                WHERE o.state IN ('parked', 'expired') OR (o.state = 'pending' AND o.attempts >= ?)
                ORDER BY o.created_at, o.rowid
                """),
            arguments: [minAttempts]
        ).map { row in
            let kindText: String = row["kind"]
            guard let kind = MessageKind(rawValue: kindText) else {
                throw RefGateError(.internalError, "stored message kind \(kindText) is unknown to this version")
            }
            return (entry: try OutboxEntry(row: row), kind: kind)
        }
    }
}

extension StoreReader {
    /// Milliseconds from queueing to receipt of every message delivered that was queued at or
    /// after `since` (benchmarks).
    public func deliveryLatencies(since: Date) throws -> [Double] {
        try Int64.fetchAll(
            try db.cached("SELECT delivered_at - created_at FROM outbox WHERE state = 'delivered' AND created_at >= ?"),
            arguments: [since.epochMilliseconds]
        ).map(Double.init)
    }
}
