import Foundation
import RefGateCore
import RefGateStore

/// An outgoing message's delivery as the local API shows it.
public struct DeliveryView: Codable, Sendable, Hashable {
    /// Delivery state.
    public enum State: String, Codable, Sendable, Hashable, CaseIterable {
        /// Not yet receipted; tried again at `nextAttemptAt`.
        case pending
        /// Receipted by the peer.
        case delivered
        /// Refused in a way that cannot heal by itself; kept for an operator.
        case parked
        /// Not receipted before `expiresAt`: a recorded non-delivery.
        case expired
    }

    /// The message.
    public var messageID: String
    /// The addressee.
    public var peer: AuthorityID
    /// The case.
    public var caseID: String?
    /// Delivery state.
    public var state: State
    /// Attempts made so far.
    public var attempts: Int
    /// When it was queued.
    public var createdAt: Date
    /// When it is tried next.
    public var nextAttemptAt: Date
    /// When an unreceipted message becomes a non-delivery.
    public var expiresAt: Date
    /// The last failure.
    public var lastError: String?
    /// The peer's problem document of the last refusal, as received.
    public var lastProblem: String?
    /// When the peer's receipt arrived.
    public var deliveredAt: Date?

    /// The view of a stored record.
    public init(_ record: OutboxEntry) {
        messageID = record.messageID
        peer = record.peer
        caseID = record.caseID
        state =
            switch record.state {
            case .pending: .pending
            case .delivered: .delivered
            case .parked: .parked
            case .expired: .expired
            }
        attempts = record.attempts
        createdAt = record.createdAt
        nextAttemptAt = record.nextAttemptAt
        expiresAt = record.expiresAt
        lastError = record.lastError
        lastProblem = record.lastProblem
        deliveredAt = record.deliveredAt
    }
}
