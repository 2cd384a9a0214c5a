import Foundation

/// What the peer API needs of the engine: one call that checks, applies and receipts a signed
/// message. A protocol, so the HTTP layer is tested in-process without a store.
public protocol MessageIntake: Sendable {
    /// Accepts the compact JWS `compact` sent over a TLS connection whose verified client
    /// certificate is `clientCertificateDER`, and returns the signed receipt.
    func accept(compact: String, clientCertificateDER: [UInt8]?) async throws -> AcceptedMessage

    /// Accepts several messages from one client, each as `accept(compact:)` would; results
    /// in order.
    func accept(batch: [String], clientCertificateDER: [UInt8]?) async -> [Result<AcceptedMessage, any Error>]

    /// The signed tree heads of the client's own log that this node witnessed, oldest first
    /// (for `refgate audit verify --peer-checkpoints`).
    func checkpoints(clientCertificateDER: [UInt8]?) async throws -> [String]

    /// What this node exchanged with the client since `since`, for the client's recovery
    /// after a restore.
    func exchangeLog(since: Date, after: String?, clientCertificateDER: [UInt8]?) async throws -> ExchangeLog

    /// The signed directory in force (compact JWS), for a member's node that fetches it here.
    func directory(clientCertificateDER: [UInt8]?) async throws -> String

    /// Records the release the client said it runs (`RefGate-Version` on its request).
    func notePeerVersion(_ version: String, clientCertificateDER: [UInt8]?) async
}

extension MessageIntake {
    /// Nothing recorded: for intakes with no store (the HTTP layer's own tests).
    public func notePeerVersion(_ version: String, clientCertificateDER: [UInt8]?) async {}

    /// One `accept(compact:)` per message, all at once.
    public func accept(batch: [String], clientCertificateDER: [UInt8]?) async -> [Result<AcceptedMessage, any Error>] {
        await batch.concurrentMap { compact in
            do {
                return .success(try await accept(compact: compact, clientCertificateDER: clientCertificateDER))
            } catch {
                return .failure(error)
            }
        }
    }
}

extension Intake: MessageIntake {}
