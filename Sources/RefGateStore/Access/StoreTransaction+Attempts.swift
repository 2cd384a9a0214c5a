import Foundation
import GRDB
import RefGateCore

/// The two delivery queues — peer messages (`outbox`) and notifications to people
/// (`notifications`) — record attempts the same way; this is the one place that SQL lives.
public enum DeliveryQueue: Sendable {
    /// Signed messages to peers.
    case outbox
    /// E-mail and webhooks to people.
    case notifications

    var table: String { self == .outbox ? "outbox" : "notifications" }
    var key: String { self == .outbox ? "message_id" : "id" }
}

extension StoreTransaction {
    /// `'pending'`, bound rather than written into the SQL of a statement that finds one entry by
    /// its key. A literal lets PostgreSQL plan a prepared statement once with a partial index on
    /// pending entries (its predicate matches; on a young table the costs tie with the key's
    /// index), and then each lookup read every pending entry: 20–36 ms a claim at 1,800 pending,
    /// seen with `auto_explain`. A bound state cannot prove the partial index's predicate.
    static let pending = "pending"

    /// A delivery attempt succeeded.
    public func markDelivered(_ queue: DeliveryQueue, id: String, at time: Date) throws {
        let sql = Self.deliveredSQL(queue, keys: "?")
        // A message's delivery is in the log as its receipt; a notification's is recorded here.
        guard queue == .notifications else {
            return try db.run(sql: sql, arguments: [time.epochMilliseconds, id])
        }
        if try db.changes(sql: sql, arguments: [time.epochMilliseconds, id]) == 1,
            let row = try Row.fetchOne(
                try db.cached("SELECT case_id, channel, event FROM notifications WHERE id = ?"), arguments: [id])
        {
            try appendAudit(
                AuditEvent(
                    .notificationSent, caseID: row["case_id"], subject: id,
                    detail: ["channel": row["channel"], "event": row["event"]]),
                at: time)
        }
    }

    /// A delivery attempt failed in a way that may succeed later: try again at `retryAt`.
    public func markRetry(_ queue: DeliveryQueue, id: String, error: String, retryAt: Date) throws {
        try db.run(
            sql: """
                UPDATE \(queue.table) SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                    claimed_until = NULL
                WHERE \(queue.key) = ? AND state = 'pending'
                """,
            arguments: [error, retryAt.epochMilliseconds, id])
    }

    /// A delivery was refused for good: parked for an operator.
    public func markParked(_ queue: DeliveryQueue, id: String, error: String) throws {
        try db.run(
            sql: """
                UPDATE \(queue.table) SET state = 'parked', attempts = attempts + 1, last_error = ?,
                    claimed_until = NULL
                WHERE \(queue.key) = ? AND state = ?
                """,
            arguments: [error, id, Self.pending])
    }

    /// Claims entries of `queue` for this instance until `until`: each is claimed only if it is
    /// still pending and no other instance's claim on it is live at `now`. Returns the ids
    /// claimed. Several instances on one PostgreSQL database send each message from one
    /// instance at a time; a dead instance's claims lapse at `until` and the entries return to
    /// the pool. (Recording an attempt's outcome ends the claim.) Up to 64 entries a statement.
    public func claim(_ queue: DeliveryQueue, ids: [String], until: Date, now: Date) throws -> Set<String> {
        var claimed: Set<String> = []
        for keys in KeyList.chunks(ids) {
            let rows = try db.rows(
                Self.claimSQL(queue, keys: keys.placeholders),
                [until.epochMilliseconds] + keys.arguments + [Self.pending, now.epochMilliseconds])
            for row in rows { claimed.insert(row[0]) }
        }
        return claimed
    }

    /// Marking delivered the entries whose keys are `keys` (placeholders), as of a bound time.
    static func deliveredSQL(_ queue: DeliveryQueue, keys: String) -> String {
        """
        UPDATE \(queue.table) SET state = 'delivered', attempts = attempts + 1, delivered_at = ?,
            last_error = NULL, claimed_until = NULL WHERE \(queue.key) IN (\(keys))
        """
    }

    /// The claim of the entries whose keys are `keys` (placeholders).
    static func claimSQL(_ queue: DeliveryQueue, keys: String) -> String {
        """
        UPDATE \(queue.table) SET claimed_until = ?
        WHERE \(queue.key) IN (\(keys)) AND state = ? AND (claimed_until IS NULL OR claimed_until <= ?)
        RETURNING \(queue.key)
        """
    }
}
