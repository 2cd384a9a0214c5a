import Hummingbird
import NIOCore
import NIOSSL

/// Request context of the peer API: keeps the channel so a handler can read the TLS client
/// certificate (Hummingbird has no API for it).
public struct PeerRequestContext: RequestContext {
    /// Hummingbird's core storage.
    public var coreContext: CoreRequestContextStorage
    /// The connection's channel.
    public let channel: any Channel

    /// Creates a context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// DER bytes of the client certificate the TLS handshake verified, if any.
    public func clientCertificateDER() async -> [UInt8]? {
        guard let certificate = try? await channel.nioSSL_peerCertificate().get() else { return nil }
        return try? certificate.toDERBytes()
    }
}
