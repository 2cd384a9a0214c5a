import Foundation
import GRDB
import RefGateCore

extension StoreTransaction {
    /// Queues a notification; the notification deliverer sends it after commit.
    public func enqueue(_ notification: NotificationRecord) throws {
        // Queued means pending and untried, whatever the value says.
        var pending = notification
        pending.state = .pending
        pending.attempts = 0
        pending.lastError = nil
        pending.deliveredAt = nil
        try pending.insert(db)
        work.touch(.notifications)
        // The target (an e-mail address) stays out of the log: the id finds it while it is kept.
        try appendAudit(
            AuditEvent(
                .notificationQueued, caseID: notification.caseID, subject: notification.id,
                detail: ["channel": notification.channel.rawValue, "event": notification.event]),
            at: notification.createdAt)
    }
}

extension StoreReader {
    /// Pending notifications due at or before `now` and not claimed by another instance,
    /// earliest first (`locking`: as `dueOutbox`).
    public func dueNotifications(now: Date, limit: Int, locking: Bool = false) throws -> [NotificationRecord] {
        try NotificationRecord.fetchAll(
            try db.cached(
                """
                SELECT * FROM notifications n WHERE n.state = 'pending' AND n.next_attempt_at <= ?
                    AND (n.claimed_until IS NULL OR n.claimed_until <= ?)
                ORDER BY n.next_attempt_at LIMIT ?\(lockSuffix(locking, table: "n"))
                """),
            arguments: [now.epochMilliseconds, now.epochMilliseconds, limit]
        )
    }

    /// When the next pending notification is due.
    public func nextNotificationDue() throws -> Date? {
        try Int64.fetchOne(
            try db.cached(
                """
                SELECT MIN(CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END)
                FROM notifications WHERE state = 'pending'
                """)
        )
        .map(Date.init(epochMilliseconds:))
    }

    /// Whether a notification of `event` about the case was ever planned (kept after retention).
    public func hasNotification(caseID: String, event: String) throws -> Bool {
        try Bool.fetchOne(
            try db.cached("SELECT EXISTS (SELECT 1 FROM notifications WHERE case_id = ? AND event = ?)"),
            arguments: [caseID, event]) ?? false
    }

    /// Notifications, optionally for one case, oldest first.
    public func notifications(caseID: String? = nil) throws -> [NotificationRecord] {
        if let caseID {
            return try NotificationRecord.fetchAll(
                try db.cached("SELECT * FROM notifications WHERE case_id = ? ORDER BY created_at, rowid"),
                arguments: [caseID]
            )
        }
        return try NotificationRecord.fetchAll(try db.cached("SELECT * FROM notifications ORDER BY created_at, rowid"))
    }
}
