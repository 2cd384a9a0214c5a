import NIOCore
import NIOTLS

/// Applies a ``ConnectionPolicy`` to one connection: counts it against its address's share
/// (closing it at once when the share is taken) and closes it unless the TLS handshake (or,
/// without TLS, the first request's head) is complete within the handshake timeout.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Why the policy closed a connection.
    enum Refusal: String, Sendable, CaseIterable {
        /// Its address already held its share of the connections.
        case addressShare = "address-share"
        /// It did not finish its handshake (or first request head) in time.
        case handshakeTimeout = "handshake-timeout"
    }

    private let ledger: ConnectionLedger
    private let handshakeTimeout: TimeAmount
    private let awaitsTLS: Bool
    private let refused: @Sendable (Refusal) -> Void
    private var address: String?
    private var started = false
    private var established = false
    private var deadline: Scheduled<Void>?
    /// The last bytes read, to find the end of a request head split across reads.
    private var tail: [UInt8] = []

    init(
        ledger: ConnectionLedger, handshakeTimeout: TimeAmount, awaitsTLS: Bool,
        refused: @escaping @Sendable (Refusal) -> Void
    ) {
        self.ledger = ledger
        self.handshakeTimeout = handshakeTimeout
        self.awaitsTLS = awaitsTLS
        self.refused = refused
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if awaitsTLS, let event = event as? TLSUserEvent, case .handshakeCompleted = event { establish() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !awaitsTLS && !established {
            let buffer = unwrapInboundIn(data)
            tail.append(contentsOf: buffer.readableBytesView)
            if Self.endsHead(tail) {
                establish()
            } else if tail.count > 3 {
                tail.removeFirst(tail.count - 3)
            }
        }
        context.fireChannelRead(data)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let key = context.channel.remoteAddress?.ipAddress ?? "unknown"
        guard ledger.admit(key) else {
            refused(.addressShare)
            context.close(promise: nil)
            return
        }
        address = key
        let loop = context.eventLoop.assumeIsolated()
        let channel = context.channel
        deadline = loop.scheduleTask(in: handshakeTimeout) { [self] in
            deadline = nil
            guard !established else { return }
            refused(.handshakeTimeout)
            channel.close(promise: nil)
        }
    }

    private func establish() {
        established = true
        tail = []
        deadline?.cancel()
        deadline = nil
    }

    private func finish() {
        deadline?.cancel()
        deadline = nil
        if let address {
            ledger.release(address)
            self.address = nil
        }
    }

    /// Whether the bytes read so far hold the blank line that ends a request head (CRLF CRLF,
    /// or the bare LF LF a lenient parser takes too).
    private static func endsHead(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        for index in 1..<bytes.count where bytes[index] == 0x0A {
            if bytes[index - 1] == 0x0A { return true }
            if index >= 2, bytes[index - 1] == 0x0D, bytes[index - 2] == 0x0A { return true }
        }
        return false
    }
}
