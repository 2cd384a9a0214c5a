import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import ServiceLifecycle

/// Sends queued notifications — e-mail through SMTP, signed JSON to webhooks — with retries.
/// Never called from a request handler: the engine only writes rows.
public struct NotificationDeliverer: Service {
    /// A webhook's client and secret.
    struct Webhook: Sendable {
        let client: CurlHTTPClient
        let secret: String
    }

    let authority: AuthorityID
    /// Where due notifications are read.
    let store: Store
    /// Where what became of them is recorded.
    let outcomes: NotificationOutcomes
    let clock: any NodeClock
    let signal: WakeSignal
    let mailer: (any Mailer)?
    let webhooks: [String: Webhook]
    /// GOV.UK Notify, if configured.
    var notify: NotifyClient? = nil
    /// A client per Teams channel URL.
    var teams: [String: CurlHTTPClient] = [:]
    /// Writes e-mailed sign-in codes into their e-mails (the queue holds only placeholders).
    let signInCodes: SignInCodes
    let timing: DeliveryTiming
    let logger: Logger

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await DeliveryLoop(
            clock: clock, signal: signal, capacity: 16, shutdownGrace: timing.shutdownGrace, id: { $0.id },
            due: { [store, timing] now, room, inFlight in
                guard store.isShared else {
                    return try await store.read { try $0.dueNotifications(now: now, limit: room + inFlight) }
                }
                // Other instances send from the same queue: take only what this one claims, and
                // no more than the loop starts (see `DeliveryLoop.due`).
                return try await store.write { tx in
                    let due = try tx.reader.dueNotifications(now: now, limit: room, locking: true)
                    let claimed = try tx.claim(
                        .notifications, ids: due.map(\.id), until: now.addingTimeInterval(timing.claimLease), now: now)
                    return due.filter { claimed.contains($0.id) }
                }
            },
            nextDue: { [store] in try await store.read { try $0.nextNotificationDue() } },
            handle: { notifications in for notification in notifications { await deliver(notification) } }
        ).run()
    }

    func deliver(_ notification: NotificationRecord) async {
        var metadata: Logger.Metadata = [
            "notification": "\(notification.id)", "event": "\(notification.event)",
            "channel": "\(notification.channel.rawValue)",
        ]
        let verdict: NotificationVerdict
        var failure = ""
        do {
            switch notification.channel {
            case .email: try await sendMail(notification)
            case .webhook: try await post(notification)
            case .notifyEmail, .notifySMS:
                guard let notify else {
                    throw TransportError(
                        .localCredentials, "GOV.UK Notify is no longer configured (notifications.notify)")
                }
                try await notify.send(notification, now: clock.now())
            case .teams:
                guard let client = teams[notification.target] else {
                    throw TransportError(
                        .localCredentials, "Teams channel \(notification.target) is no longer configured")
                }
                _ = try await client.sendExpectingSuccess(
                    url: notification.target, body: Data(notification.body.utf8),
                    headerFields: [.contentType: "application/json"])
            }
            verdict = .sent
        } catch let transport as TransportError {
            failure = transport.description
            verdict = Task.isCancelled ? .interrupted : .of(transport)
        } catch {
            failure = "\(error)"
            verdict = .park
        }
        metadata["error"] = "\(failure.escapedForDisplay())"
        do {
            try await outcomes.apply(
                verdict, for: notification, error: failure,
                retryDelay: timing.backoff(afterAttempts: notification.attempts))
            switch verdict {
            case .sent: logger.info("notification sent", metadata: metadata)
            case .interrupted: break
            case .retryLater: logger.warning("notification failed; will retry", metadata: metadata)
            case .park: logger.error("notification refused; parked for an operator", metadata: metadata)
            }
        } catch {
            logger.error("could not record a notification attempt", metadata: ["error": "\(error)"])
        }
    }

    private func sendMail(_ notification: NotificationRecord) async throws {
        guard let mailer else {
            throw TransportError(.localCredentials, "no SMTP server is configured (notifications.smtp)")
        }
        let domain = mailer.sender.address.split(separator: "@").last.map(String.init) ?? "refgate.invalid"
        let message = MailMessage(
            from: mailer.sender,
            to: notification.target.split(separator: ",").map {
                .init(String($0).trimmingCharacters(in: .whitespaces))
            },
            subject: notification.subject,
            // Only the node's own sign-in e-mails hold placeholders; no other text is rendered.
            body: notification.event == SignInCodes.event ? signInCodes.render(notification.body) : notification.body,
            date: clock.now(),
            messageID: "\(notification.id)@\(domain)")
        try await mailer.send(message)
    }

    private func post(_ notification: NotificationRecord) async throws {
        guard let webhook = webhooks[notification.target] else {
            throw TransportError(.localCredentials, "webhook \(notification.target) is no longer configured")
        }
        let payload = WebhookPayload(
            id: notification.id, event: notification.event, authority: authority, caseId: notification.caseID,
            subject: notification.subject, text: notification.body, createdAt: notification.createdAt)
        let body = try MessageCoding.encoder().encode(payload)
        _ = try await webhook.client.sendExpectingSuccess(
            url: notification.target, body: body,
            headerFields: [
                .contentType: "application/json", WebhookSignature.eventField: notification.event,
                WebhookSignature.deliveryField: notification.id,
                WebhookSignature.signatureField: WebhookSignature.sign(
                    body: body, secret: webhook.secret, at: clock.now()),
            ])
    }
}

/// The JSON a webhook receives. `id` is stable across retries, so receivers can drop repeats.
public struct WebhookPayload: Codable, Sendable {
    /// Delivery id.
    public var id: String
    /// What happened, e.g. `standards-reminder`.
    public var event: String
    /// The sending authority.
    public var authority: AuthorityID
    /// The case, if any.
    public var caseId: String?
    /// Subject line.
    public var subject: String
    /// The plain-text body people read.
    public var text: String
    /// When the notification was written.
    public var createdAt: Date
}
