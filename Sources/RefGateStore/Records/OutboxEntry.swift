import Foundation
import GRDB
import RefGateCore

/// A message waiting for (or done with) delivery.
public struct OutboxEntry: Sendable, Hashable, Codable {
    /// Delivery state.
    public enum State: String, Sendable, Codable {
        /// Not yet receipted; will be tried at `nextAttemptAt`.
        case pending
        /// Receipted by the peer.
        case delivered
        /// Refused by the peer with a permanent error; not retried.
        case rejected
    }

    /// The message to deliver.
    public var messageID: String
    /// The addressee.
    public var peer: AuthorityID
    /// Delivery state.
    public var state: State
    /// Attempts made so far.
    public var attempts: Int
    /// When to try next.
    public var nextAttemptAt: Date
    /// The last failure, for operators.
    public var lastError: String?
    /// When the peer's receipt arrived.
    public var deliveredAt: Date?

    init(row: Row) throws {
        messageID = row["message_id"]
        let peerText: String = row["peer"]
        let stateText: String = row["state"]
        guard let peer = AuthorityID(rawValue: peerText), let state = State(rawValue: stateText) else {
            throw RefGateError(.invalidInput, "stored outbox entry \(messageID) is unknown to this version")
        }
        self.peer = peer
        self.state = state
        attempts = row["attempts"]
        nextAttemptAt = row.instant("next_attempt_at")
        lastError = row["last_error"]
        deliveredAt = row.optionalInstant("delivered_at")
    }
}
