import Foundation
import GRDB
import RefGateCore

/// A message waiting for (or done with) delivery to a peer.
public struct OutboxEntry: Sendable, Hashable, FetchableRecord {
    /// Delivery state.
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Not yet receipted; will be tried at `nextAttemptAt`.
        case pending
        /// Receipted by the peer.
        case delivered
        /// Refused in a way that cannot heal by itself (schema, signature, conflict): kept for an
        /// operator, who can send it again once the cause is fixed. Holds back the later
        /// messages of its case.
        case parked
        /// Not receipted before `expiresAt`: a recorded non-delivery; operators were told.
        case expired
    }

    /// The message to deliver.
    public var messageID: String
    /// The addressee.
    public var peer: AuthorityID
    /// The case the message belongs to; messages of one case are delivered in order.
    public var caseID: String?
    /// Delivery state.
    public var state: State
    /// Attempts made so far.
    public var attempts: Int
    /// When the message was queued.
    public var createdAt: Date
    /// When to try next.
    public var nextAttemptAt: Date
    /// When an unreceipted message becomes a non-delivery.
    public var expiresAt: Date
    /// The last failure, for operators.
    public var lastError: String?
    /// The peer's `application/problem+json` of the last refusal, as received.
    public var lastProblem: String?
    /// When the peer's receipt arrived.
    public var deliveredAt: Date?
}

extension OutboxEntry {
    /// Reads a row by column name: the deliverer reads due entries on every refill, and the
    /// generic `Decodable` path (column names converted per row) was a measurable share of it.
    public init(row: Row) throws {
        messageID = row["message_id"]
        let peerText: String = row["peer"]
        let stateText: String = row["state"]
        guard let peer = AuthorityID(rawValue: peerText), let state = State(rawValue: stateText) else {
            throw RefGateError(
                .storedDataUnknown, "stored outbox entry \(messageID) has fields unknown to this version")
        }
        self.peer = peer
        self.state = state
        caseID = row["case_id"]
        attempts = row["attempts"]
        createdAt = row.instant("created_at")
        nextAttemptAt = row.instant("next_attempt_at")
        expiresAt = row.instant("expires_at")
        lastError = row["last_error"]
        lastProblem = row["last_problem"]
        deliveredAt = row.optionalInstant("delivered_at")
    }
}

extension OutboxEntry: PersistableRecord {
    /// The table.
    public static let databaseTableName = "outbox"

    /// Its columns, as `init(row:)` reads them.
    public func encode(to container: inout PersistenceContainer) {
        container["message_id"] = messageID
        container["peer"] = peer.rawValue
        container["case_id"] = caseID
        container["state"] = state.rawValue
        container["attempts"] = attempts
        container["created_at"] = createdAt.epochMilliseconds
        container["next_attempt_at"] = nextAttemptAt.epochMilliseconds
        container["expires_at"] = expiresAt.epochMilliseconds
        container["last_error"] = lastError
        container["last_problem"] = lastProblem
        container["delivered_at"] = deliveredAt?.epochMilliseconds
    }
}
