import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// A server child channel with a ``ConnectionGuard`` in its pipeline: right after the TLS
/// handler when there is one (so it sees the handshake finish), else first.
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let ledger: ConnectionLedger
    let handshakeTimeout: TimeAmount
    let refused: @Sendable (ConnectionGuard.Refusal) -> Void

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let tls = try? pipeline.handler(type: NIOSSLServerHandler.self)
            let guardHandler = ConnectionGuard(
                ledger: ledger, handshakeTimeout: handshakeTimeout, awaitsTLS: tls != nil, refused: refused)
            if let tls {
                try pipeline.addHandler(guardHandler, position: .after(tls))
            } else {
                try pipeline.addHandler(guardHandler, position: .first)
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
