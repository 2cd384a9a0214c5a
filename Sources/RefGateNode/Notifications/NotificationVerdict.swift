import Foundation
import RefGateTransport

/// What one attempt to send a notification (an e-mail or a webhook call) came to, and so what
/// happens next. The notification queue's own decision: a person's mail server is not a peer,
/// so there is no receipt to check and no peer to probe.
enum NotificationVerdict: Equatable, Sendable {
    /// The server took it.
    case sent
    /// The server could not be reached, timed out or failed for now (network, TLS, 5xx, 408,
    /// 429, an SMTP 4xx): tried again with backoff.
    case retryLater
    /// A refusal only a person can fix (the server refused the message or our login, or no
    /// server is configured): parked for an operator.
    case park
    /// This node is shutting down: the attempt is left as if never made.
    case interrupted

    /// A failed attempt.
    static func of(_ error: TransportError) -> NotificationVerdict {
        switch error.code {
        case .rejected, .loginDenied, .localCredentials, .responseTooLarge: .park
        case .shutdown: .interrupted
        case .httpStatus:
            switch error.status ?? 500 {
            case 408, 425, 429, 500...599: .retryLater
            default: .park
            }
        default: .retryLater
        }
    }
}
