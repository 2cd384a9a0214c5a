import Foundation
import RefGateCore

/// Where a peer's messages go: its endpoint and the key its TLS certificate must have.
public struct PeerTarget: Hashable, Sendable {
    /// The peer API's base URL, without a trailing slash.
    public var endpoint: String
    /// libcurl's pins for the peer's auth key (`sha256//…`, `;`-separated), or nil.
    public var pinnedPublicKey: String?

    /// Creates a target.
    public init(endpoint: String, pinnedPublicKey: String?) {
        self.endpoint = endpoint
        self.pinnedPublicKey = pinnedPublicKey
    }
}

/// Sends a peer the compact JWS messages due for it and returns its answer to each, in order:
/// the outbox deliverer's seam. `PeerExchange` is the real one (libcurl, mutual TLS, batches);
/// tests of the engine can hand messages straight to another engine's intake.
protocol PeerTransport: Sendable {
    /// Sends `messages` to `target`; one answer per message, in order.
    func send(_ messages: [String], to target: PeerTarget) async -> [PeerAnswer]
    /// The release `target` said it runs in its last answer, if it said.
    func peerVersion(_ target: PeerTarget) -> String?
    /// What `target` exchanged with this node since `since` (one page), for a recovery.
    func exchangeLog(since: Date, after: String?, from target: PeerTarget) async throws -> ExchangeLog
}

extension PeerTransport {
    /// A transport that does not learn versions.
    func peerVersion(_ target: PeerTarget) -> String? { nil }

    /// A transport that cannot ask for an exchange log.
    func exchangeLog(since: Date, after: String?, from target: PeerTarget) async throws -> ExchangeLog {
        throw RefGateError(.internalError, "this transport cannot ask peers for what they exchanged")
    }
}
