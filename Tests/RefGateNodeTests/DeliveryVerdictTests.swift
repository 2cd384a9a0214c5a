import Foundation
import RefGateCore
import RefGateTransport
import Testing

@testable import RefGateNode

/// Every outcome of a delivery attempt has one verdict, and none of them drops the message.
@Suite(.timeLimit(.minutes(2))) struct DeliveryVerdictTests {
    @Test(
        arguments: [
            (500, nil, DeliveryVerdict.peerUnavailable(retryAfter: nil)),
            (503, nil, .peerUnavailable(retryAfter: nil)),
            (408, nil, .peerUnavailable(retryAfter: nil)),
            (425, nil, .retryLater),
            (403, "unknown-client-certificate", .retryLater),
            (403, "unknown-signing-key", .retryLater),
            (421, "wrong-recipient", .retryLater),
            (404, "unknown-case", .retryLater),
            (400, "clock-skew", .retryLater),
            (400, "schema-invalid", .park),
            (400, "malformed-message", .park),
            (403, "bad-signature", .park),
            (403, "sender-mismatch", .park),
            (409, "message-id-conflict", .park),
            (409, "invalid-transition", .park),
            (422, "responder-not-senior-enough", .park),
            (413, "message-too-large", .park),
            (418, nil, .park),
        ] as [(Int, String?, DeliveryVerdict)])
    func httpAnswers(status: Int, code: String?, verdict: DeliveryVerdict) {
        #expect(DeliveryVerdict.forStatus(status, problem: code.flatMap { .known($0) }, retryAfter: nil) == verdict)
    }

    @Test func tooManyRequestsHonoursRetryAfter() {
        #expect(DeliveryVerdict.forStatus(429, problem: nil, retryAfter: 120) == .peerUnavailable(retryAfter: 120))
        let timing = DeliveryTiming()
        #expect(timing.probeDelay(afterFailures: 0, retryAfter: 120) == 120)
        #expect(timing.probeDelay(afterFailures: 30, retryAfter: nil) <= timing.probeInterval)
    }

    @Test(
        arguments: [
            (TransportError.Code.connectRefused, DeliveryVerdict.peerUnavailable(retryAfter: nil)),
            (.unresolvable, .peerUnavailable(retryAfter: nil)), (.timeout, .peerUnavailable(retryAfter: nil)),
            (.tlsRejected, .peerUnavailable(retryAfter: nil)), (.tlsPeerUntrusted, .peerUnavailable(retryAfter: nil)),
            (.localCredentials, .peerUnavailable(retryAfter: nil)), (.other, .peerUnavailable(retryAfter: nil)),
            (.responseTooLarge, .park), (.shutdown, .interrupted),
        ] as [(TransportError.Code, DeliveryVerdict)])
    func transportFailures(code: TransportError.Code, verdict: DeliveryVerdict) {
        #expect(DeliveryVerdict.forTransport(TransportError(code, "x")) == verdict)
    }

    /// The notification queue's decisions: what only a person can fix is parked; the rest is
    /// tried again.
    @Test(
        arguments: [
            (TransportError(.rejected, "550"), NotificationVerdict.park),
            (TransportError(.loginDenied, "535"), .park), (TransportError(.localCredentials, "no SMTP"), .park),
            (TransportError(.responseTooLarge, "x"), .park), (TransportError(.connectRefused, "x"), .retryLater),
            (TransportError(.timeout, "x"), .retryLater), (TransportError(.tlsRejected, "x"), .retryLater),
            (TransportError(.httpStatus, "x", status: 503), .retryLater),
            (TransportError(.httpStatus, "x", status: 429), .retryLater),
            (TransportError(.httpStatus, "x", status: 400), .park), (TransportError(.shutdown, "x"), .interrupted),
        ] as [(TransportError, NotificationVerdict)])
    func notificationFailures(error: TransportError, verdict: NotificationVerdict) {
        #expect(NotificationVerdict.of(error) == verdict)
    }

    @Test func backoffIsFullJitterAndCapped() {
        let timing = DeliveryTiming()
        for attempts in 0..<40 {
            let delay = timing.backoff(afterAttempts: attempts)
            #expect(delay >= 0 && delay <= min(timing.cap, timing.base * pow(2, Double(attempts))))
        }
    }
}
