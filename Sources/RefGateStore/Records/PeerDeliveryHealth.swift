import Foundation
import GRDB
import RefGateCore

/// How delivery to one peer is going, for operators (`refgate deliveries`).
public struct PeerDeliveryHealth: Sendable, Hashable, Codable {
    /// The peer.
    public var peer: AuthorityID
    /// When a message to it was last receipted.
    public var lastSuccessAt: Date?
    /// Failed attempts since the last success (0 while it is healthy).
    public var consecutiveFailures: Int
    /// When the current run of failures began.
    public var failingSince: Date?
    /// The last failure.
    public var lastError: String?
    /// Messages waiting to be delivered.
    public var backlog: Int
    /// When the oldest of them was queued.
    public var oldestUndeliveredAt: Date?
    /// When the next attempt (or probe, while the peer is failing) is due.
    public var nextAttemptAt: Date?
    /// Messages parked for an operator.
    public var parked: Int
    /// Messages that expired undelivered.
    public var expired: Int
    /// The release the peer last said it runs (`RefGate-Version`), if it said.
    public var peerVersion: String?
}

/// The deliverer's own memory of a peer: failures in a row, the next probe, whether operators
/// were alerted that it is unreachable.
public struct PeerDeliveryState: Sendable, Hashable {
    /// The peer.
    public var peer: AuthorityID
    /// Failed attempts since the last success.
    public var consecutiveFailures: Int
    /// When the current run of failures began.
    public var failingSince: Date?
    /// While failing: the earliest time for the next probe.
    public var nextProbeAt: Date?
    /// Whether operators have been told the peer is unreachable (an all-clear follows recovery).
    public var unreachableAlerted: Bool
    /// The last time it answered, as recorded.
    public var lastSuccessAt: Date?
    /// The release it last said it runs.
    public var peerVersion: String?

    init(row: Row) throws {
        let text: String = row["peer"]
        guard let peer = AuthorityID(rawValue: text) else {
            throw RefGateError(.internalError, "stored peer \(text) is not a GSS code")
        }
        self.peer = peer
        consecutiveFailures = row["consecutive_failures"]
        failingSince = row.optionalInstant("failing_since")
        nextProbeAt = row.optionalInstant("next_probe_at")
        unreachableAlerted = row["unreachable_alerted"]
        lastSuccessAt = row.optionalInstant("last_success_at")
        peerVersion = row["peer_version"]
    }
}
