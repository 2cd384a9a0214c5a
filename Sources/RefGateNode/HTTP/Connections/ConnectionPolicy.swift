import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL

/// How a listener treats connections before and between requests. Both listeners (peer and
/// local) use one policy type, so neither can be held by someone who never authenticates:
///
/// - at most `maxConnections` open at once (further ones wait in the kernel's accept queue);
/// - at most `maxPerAddress` of them from one IP address, so one address cannot take every
///   slot (a connection over its address's share is closed at once);
/// - the TLS handshake (on a plain-HTTP listener: the first request's head) must be complete
///   within `handshakeTimeout` of the connection being accepted;
/// - a connection with no request in progress is closed after `idleTimeout`.
public struct ConnectionPolicy: Sendable, Hashable {
    /// Connections open at once.
    public var maxConnections: Int
    /// Connections open at once from one IP address.
    public var maxPerAddress: Int
    /// Seconds a connection may be idle between requests.
    public var idleTimeout: Int
    /// Seconds from accept to a finished TLS handshake (or, without TLS, a first request head).
    public var handshakeTimeout: Int

    /// Creates a policy; values below 1 are raised to 1, and the share to at most the cap.
    public init(maxConnections: Int, maxPerAddress: Int, idleTimeout: Int, handshakeTimeout: Int) {
        self.maxConnections = max(1, maxConnections)
        self.maxPerAddress = min(max(1, maxPerAddress), self.maxConnections)
        self.idleTimeout = max(1, idleTimeout)
        self.handshakeTimeout = max(1, handshakeTimeout)
    }

    /// `defaults` with the settings given (nil keeps the default).
    init(
        _ defaults: ConnectionPolicy, maxConnections: Int?, maxPerAddress: Int?, idleTimeout: Int?,
        handshakeTimeout: Int?
    ) {
        self.init(
            maxConnections: maxConnections ?? defaults.maxConnections,
            maxPerAddress: maxPerAddress ?? defaults.maxPerAddress, idleTimeout: idleTimeout ?? defaults.idleTimeout,
            handshakeTimeout: handshakeTimeout ?? defaults.handshakeTimeout)
    }

    /// The peer listener's defaults: libcurl keeps up to 32 connections to one peer, so one
    /// address may hold a quarter of the slots.
    public static let peerDefault = ConnectionPolicy(
        maxConnections: 256, maxPerAddress: 64, idleTimeout: 30, handshakeTimeout: 5)
    /// The local listener's defaults: browsers open about six connections each, and a council's
    /// staff may all arrive from one proxy address.
    public static let localDefault = ConnectionPolicy(
        maxConnections: 512, maxPerAddress: 128, idleTimeout: 30, handshakeTimeout: 5)

    /// A server builder for HTTP/1.1 (over TLS when `tls` is given) that applies this policy.
    /// `refused` is told of every connection the policy closes, for metrics.
    func serverBuilder(
        tls: TLSConfiguration?, refused: @escaping @Sendable (ConnectionGuard.Refusal) -> Void
    ) -> HTTPServerBuilder {
        let ledger = ConnectionLedger(maxPerAddress: maxPerAddress)
        let handshake = TimeAmount.seconds(Int64(handshakeTimeout))
        let idle = TimeAmount.seconds(Int64(idleTimeout))
        return HTTPServerBuilder { responder in
            let http = HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idle))
            guard let tls else {
                return GuardedChannel(base: http, ledger: ledger, handshakeTimeout: handshake, refused: refused)
            }
            return GuardedChannel(
                base: try TLSChannel(http, tlsConfiguration: tls), ledger: ledger, handshakeTimeout: handshake,
                refused: refused)
        }
    }

    /// The cap, as Hummingbird's accept throttle.
    var availableConnections: MaximumAvailableConnections { MaximumAvailableConnections(maxConnections) }
}
