/// What the peer API needs of the engine: one call that checks, applies and receipts a signed
/// message. A protocol, so the HTTP layer is tested in-process without a store.
public protocol MessageIntake: Sendable {
    /// Accepts the compact JWS `compact` sent over a TLS connection whose verified client
    /// certificate is `clientCertificateDER`, and returns the signed receipt.
    func accept(compact: String, clientCertificateDER: [UInt8]?) async throws -> AcceptedMessage

    /// The signed tree heads of the client's own log that this node witnessed, oldest first
    /// (for `refgate audit verify --peer-checkpoints`).
    func checkpoints(clientCertificateDER: [UInt8]?) async throws -> [String]
}

extension Intake: MessageIntake {}
