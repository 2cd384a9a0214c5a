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
    /// A delivery attempt succeeded.
    public func markDelivered(_ queue: DeliveryQueue, id: String, at time: Date) throws {
        let changedRows = try db.changes(
            sql: """
                UPDATE \(queue.table) SET state = 'delivered', attempts = attempts + 1, delivered_at = ?,
                    last_error = NULL, claimed_until = NULL WHERE \(queue.key) = ?
                """,
            arguments: [time.epochMilliseconds, id])
        // A message's delivery is in the log as its receipt; a notification's is recorded here.
        if queue == .notifications, changedRows == 1,
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
                WHERE \(queue.key) = ? AND state = 'pending'
                """,
            arguments: [error, id])
    }

    /// Claims entries of `queue` for this instance until `until`: each is claimed only if it is
    /// still pending and no other instance's claim on it is live at `now`. Returns the ids
    /// claimed. Several instances on one PostgreSQL database send each message from one
    /// instance at a time; a dead instance's claims lapse at `until` and the entries return to
    /// the pool. (Recording an attempt's outcome ends the claim.)
    public func claim(_ queue: DeliveryQueue, ids: [String], until: Date, now: Date) throws -> Set<String> {
        var claimed: Set<String> = []
        for id in ids {
            let changedRows = try db.changes(
                sql: """
                    UPDATE \(queue.table) SET claimed_until = ?
                    WHERE \(queue.key) = ? AND state = 'pending' AND (claimed_until IS NULL OR claimed_until <= ?)
                    """,
                arguments: [until.epochMilliseconds, id, now.epochMilliseconds])
            if changedRows == 1 { claimed.insert(id) }
        }
        return claimed
    }
}
