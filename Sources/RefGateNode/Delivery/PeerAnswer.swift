import Foundation

/// What a peer answered for one message, whether it went alone or in a batch.
enum PeerAnswer: Sendable {
    /// Accepted: the body of its answer, which should be a signed receipt (checked by the caller).
    case receipt(Data)
    /// Refused: the HTTP status it was refused with (for a message in a batch, the status the
    /// single-message endpoint would have answered), the problem document if there was one, the
    /// raw body (kept for operators) and the peer's `Retry-After`.
    case refused(status: Int, problem: ProblemDetails?, body: Data, retryAfter: TimeInterval?)
    /// The exchange itself failed (network, TLS, timeout, shutdown).
    case failed(any Error)
}
