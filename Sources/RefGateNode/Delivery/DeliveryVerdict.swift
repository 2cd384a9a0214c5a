import Foundation
import RefGateCore
import RefGateTransport

/// What one delivery attempt came to, and so what happens next. Every outcome is one of
/// these; none drops a message.
enum DeliveryVerdict: Equatable, Sendable {
    /// The peer receipted it.
    case receipted
    /// The peer could not be reached, timed out, failed (5xx) or asked us to slow down (408,
    /// 429): the *peer* is failing. Its backlog waits and one probe at a time finds out when
    /// it is back. `retryAfter` is the peer's `Retry-After`, when it gave one.
    case peerUnavailable(retryAfter: TimeInterval?)
    /// The peer answered but refused this message for a reason that can heal by itself: its
    /// directory differs from ours (unknown certificate or key, wrong recipient), the case is
    /// not there yet, clocks disagree, or 425. Retried with backoff until the message expires.
    case retryLater
    /// A refusal that sending again cannot change (schema, signature, id conflict, a rule of
    /// the procedure): parked for an operator.
    case park
    /// This node is shutting down: the attempt is left as if never made.
    case interrupted

    /// Problems a peer answers with for refusals that heal without anyone acting on the message.
    static let healableProblems: Set<RefGateError.Code> = [
        .unknownClientCertificate, .unknownSigningKey, .wrongRecipient, .unknownCase, .clockSkew, .unknownAuthority,
        .directoryExpired,
    ]

    /// What the peer's answer to one message means for it.
    static func of(_ answer: PeerAnswer) -> DeliveryVerdict {
        switch answer {
        case .receipt: .receipted
        case .refused(let status, let problem, _, let retryAfter):
            forStatus(status, problem: problem.flatMap { .known($0.code) }, retryAfter: retryAfter)
        case .failed(let error as TransportError): forTransport(error)
        // Anything else failing the exchange is its cancellation at shutdown.
        case .failed: .interrupted
        }
    }

    /// An HTTP answer other than 2xx, with the problem from its `application/problem+json` body
    /// (nil when there is none, or its code is not one this version knows).
    static func forStatus(_ status: Int, problem: RefGateError.Code?, retryAfter: TimeInterval?) -> DeliveryVerdict {
        switch status {
        case 408, 429, 500...599: .peerUnavailable(retryAfter: retryAfter)
        case 425: .retryLater
        default: problem.map { healableProblems.contains($0) } == true ? .retryLater : .park
        }
    }

    /// A transport failure: the exchange did not complete.
    static func forTransport(_ error: TransportError) -> DeliveryVerdict {
        switch error.code {
        case .shutdown: .interrupted
        case .httpStatus: forStatus(error.status ?? 500, problem: nil, retryAfter: error.retryAfter)
        case .responseTooLarge: .park
        // Network, TLS, timeouts, our own credentials (an operator fixes them; nothing is lost
        // meanwhile): the peer is unavailable to us.
        default: .peerUnavailable(retryAfter: nil)
        }
    }
}

/// Retry timing: exponential backoff with full jitter (a random delay between 0 and
/// `base × 2^attempts`, capped), and the probe cadence of a failing peer.
struct DeliveryTiming: Sendable {
    /// Base of the backoff, seconds.
    var base: TimeInterval = 1
    /// Cap of one message's backoff, seconds.
    var cap: TimeInterval = 900
    /// Longest time between probes of a failing peer, seconds.
    var probeInterval: TimeInterval = 30
    /// A peer failing this long is reported unreachable to operators, seconds.
    var unreachableAfter: TimeInterval = 3600
    /// On shutdown, in-flight deliveries get this long before they are cancelled (and stay pending).
    var shutdownGrace: Duration = .seconds(5)
    /// How long an instance's claim on what it sends lasts (several instances on PostgreSQL).
    var claimLease: TimeInterval = 60

    /// Delay before retrying a message that has failed `attempts` times.
    func backoff(afterAttempts attempts: Int) -> TimeInterval {
        Double.random(in: 0...1) * min(cap, base * pow(2, Double(min(attempts, 40))))
    }

    /// Delay before the next probe of a peer that has failed `failures` times in a row: the
    /// same backoff, never longer than `probeInterval`, and never sooner than the peer's
    /// `Retry-After`.
    func probeDelay(afterFailures failures: Int, retryAfter: TimeInterval?) -> TimeInterval {
        let delay = min(probeInterval, backoff(afterAttempts: failures))
        return max(delay, min(retryAfter ?? 0, cap))
    }
}
