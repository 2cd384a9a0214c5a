import Foundation
import GRDB
import RefGateCore

/// A message to people (e-mail or webhook) waiting for, or done with, delivery.
public struct NotificationRecord: Sendable, Hashable, Codable, FetchableRecord {
    /// How it travels.
    public enum Channel: String, Sendable, Codable {
        /// E-mail through SMTP; `target` is the recipients, comma-separated.
        case email
        /// JSON POST; `target` is the webhook URL.
        case webhook
        /// E-mail through GOV.UK Notify; `target` is one address.
        case notifyEmail = "notify-email"
        /// A text message through GOV.UK Notify; `target` is one phone number.
        case notifySMS = "notify-sms"
        /// An Adaptive Card to a Microsoft Teams incoming webhook (Workflows); `target` is its
        /// URL and `body` the card message, built when planned.
        case teams
    }

    /// Unique id (also the e-mail Message-ID's local part and the webhook's delivery id).
    public var id: String
    /// The case it is about, if any.
    public var caseID: String?
    /// E-mail or webhook.
    public var channel: Channel
    /// Recipients (comma-separated) or URL.
    public var target: String
    /// What happened, e.g. `standards-reminder`.
    public var event: String
    /// Subject line.
    public var subject: String
    /// The plain-text body people read.
    public var body: String
    /// Delivery state.
    public var state: OutboxEntry.State
    /// Attempts so far.
    public var attempts: Int
    /// When to try next.
    public var nextAttemptAt: Date
    /// The last failure.
    public var lastError: String?
    /// When it was written.
    public var createdAt: Date
    /// When it was delivered.
    public var deliveredAt: Date?

    /// Creates a pending notification.
    public init(
        id: String = TimeOrderedID.make(), caseID: String?, channel: Channel, target: String, event: String,
        subject: String, body: String, createdAt: Date
    ) {
        self.id = id
        self.caseID = caseID
        self.channel = channel
        self.target = target
        self.event = event
        self.subject = subject
        self.body = body
        self.state = .pending
        self.attempts = 0
        self.nextAttemptAt = createdAt
        self.lastError = nil
        self.createdAt = createdAt
        self.deliveredAt = nil
    }

    /// Maps its row by hand: its columns differ from its properties.
    public init(row: Row) throws {
        id = row["id"]
        caseID = row["case_id"]
        let channelText: String = row["channel"]
        let stateText: String = row["state"]
        guard let channel = Channel(rawValue: channelText), let state = OutboxEntry.State(rawValue: stateText) else {
            throw RefGateError(.storedDataUnknown, "stored notification \(id) is unknown to this version")
        }
        self.channel = channel
        self.state = state
        target = row["target"]
        event = row["event"]
        subject = row["subject"]
        body = row["body"]
        attempts = row["attempts"]
        nextAttemptAt = row.instant("next_attempt_at")
        lastError = row["last_error"]
        createdAt = row.instant("created_at")
        deliveredAt = row.optionalInstant("delivered_at")
    }
}

extension NotificationRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "notifications"

    /// Its columns, as `init(row:)` reads them.
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["case_id"] = caseID
        container["channel"] = channel.rawValue
        container["target"] = target
        container["event"] = event
        container["subject"] = subject
        container["body"] = body
        container["state"] = state.rawValue
        container["attempts"] = attempts
        container["next_attempt_at"] = nextAttemptAt.epochMilliseconds
        container["last_error"] = lastError
        container["created_at"] = createdAt.epochMilliseconds
        container["delivered_at"] = deliveredAt?.epochMilliseconds
    }
}
