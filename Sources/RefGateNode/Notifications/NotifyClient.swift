import Foundation
import HTTPTypes
import JWTKit
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust

/// GOV.UK Notify's API, as its documentation gives it: a fresh HS256 JWT per request (`iss` the
/// service id, `iat` now; signed with the key's secret, by jwt-kit), `POST /v2/notifications/email`
/// and `/sms` with a template id and personalisation, and a `reference` that is the
/// notification's id (never personal data). Refusals come back as `TransportError`s with the HTTP
/// status, so the queue's verdicts apply: 429 and 5xx are tried again with backoff, 400 and 403
/// are parked for an operator.
struct NotifyClient: Sendable {
    let client: CurlHTTPClient
    let baseURL: String
    let serviceID: String
    let keys: JWTKeyCollection
    let emailTemplate: String?
    let smsTemplate: String?

    /// The parts of a key as Notify shows it: `{key_name}-{service_id}-{secret}`, both ids UUIDs.
    static func parse(key text: String) throws -> (serviceID: String, secret: String) {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/
        guard key.count > 74, let secret = String(key.suffix(36)).wholeMatch(of: uuid).map({ String($0.output) }),
            let service = String(key.dropLast(37).suffix(36)).wholeMatch(of: uuid).map({ String($0.output) }),
            key.dropLast(36).last == "-", key.dropLast(73).last == "-"
        else {
            throw RefGateError(
                .configurationInvalid,
                "the GOV.UK Notify API key file must hold the key as Notify shows it: {key_name}-{service_id}-{secret}")
        }
        return (service, secret)
    }

    init(settings: NotifySettings, logger: Logger) async throws {
        let (serviceID, secret) = try Self.parse(
            key: try PEMFile.readSecret(settings.apiKeyFile, what: "GOV.UK Notify API key"))
        let base = (settings.baseURL ?? "https://api.notifications.service.gov.uk").trimmingCharacters(in: ["/"])
        guard base.hasPrefix("https://") || base.hasPrefix("http://127.0.0.1") || base.hasPrefix("http://localhost")
        else {
            throw RefGateError(
                .configurationInvalid, "notifications.notify.baseURL must be https (plain http only on loopback)")
        }
        self.baseURL = base
        self.serviceID = serviceID
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        emailTemplate = settings.emailTemplateId
        smsTemplate = settings.smsTemplateId
        client = try CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                tls: base.hasPrefix("https://") ? .init(caCertificatePath: settings.caCertificate) : nil,
                totalTimeout: .seconds(30)),
            logger: logger)
    }

    /// The claims of Notify's JWT.
    struct Claims: JWTPayload {
        var iss: String
        var iat: IssuedAtClaim
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// Sends one notification (`notify-email` or `notify-sms`).
    func send(_ notification: NotificationRecord, now: Date) async throws {
        let sms = notification.channel == .notifySMS
        guard let template = sms ? smsTemplate : emailTemplate else {
            throw TransportError(
                .localCredentials,
                "no GOV.UK Notify \(sms ? "smsTemplateId" : "emailTemplateId") is configured (notifications.notify)")
        }
        // A text message carries the subject line only: what happened and where to look.
        let body: [String: JSONValue] = [
            sms ? "phone_number" : "email_address": .string(notification.target), "template_id": .string(template),
            "reference": .string(notification.id),
            "personalisation": .object(
                sms
                    ? ["body": .string(notification.subject)]
                    : ["subject": .string(notification.subject), "body": .string(notification.body)]),
        ]
        let token = try await keys.sign(Claims(iss: serviceID, iat: .init(value: now)))
        _ = try await client.sendExpectingSuccess(
            url: "\(baseURL)/v2/notifications/\(sms ? "sms" : "email")",
            body: try JSONEncoder().encode(JSONValue.object(body)),
            headerFields: [
                .contentType: "application/json", .authorization: "Bearer \(token)",
                .userAgent: "refgate/notify",
            ])
    }
}
