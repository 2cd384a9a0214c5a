import RefGateTransport

/// The `notifications` section of a node's configuration: how people are told things.
///
/// ```json
/// "notifications": {
///   "smtp": { "host": "smtp.salford.example", "port": 587, "security": "starttls",
///             "from": "refgate@salford.example", "fromName": "Salford refgate",
///             "username": "refgate", "passwordFile": "smtp.password" },
///   "webhooks": [ { "url": "https://ops.salford.example/hooks/refgate", "secretFile": "webhook.secret" } ],
///   "standardsReminderAddress": "practitioners-and-managers@salford.example"
/// }
/// ```
public struct NotificationSettings: Codable, Sendable {
    /// The mail server; without it no e-mail is sent.
    public var smtp: SMTPSettings?
    /// Webhooks that receive every notification as signed JSON.
    public var webhooks: [WebhookSettings]?
    /// Para 12: the practitioners-and-managers list that gets a standards reminder whenever a
    /// concern is confirmed (outcome `referee-ineligible` or `not-verified`).
    public var standardsReminderAddress: String?

    /// Creates settings.
    public init(smtp: SMTPSettings? = nil, webhooks: [WebhookSettings]? = nil, standardsReminderAddress: String? = nil)
    {
        self.smtp = smtp
        self.webhooks = webhooks
        self.standardsReminderAddress = standardsReminderAddress
    }
}

/// A webhook endpoint.
public struct WebhookSettings: Codable, Sendable, Hashable {
    /// HTTPS URL.
    public var url: String
    /// File holding the shared secret for the HMAC-SHA256 signature.
    public var secretFile: String
    /// PEM CA file for the endpoint; nil uses the system store.
    public var caCertificate: String?

    /// Creates settings.
    public init(url: String, secretFile: String, caCertificate: String? = nil) {
        self.url = url
        self.secretFile = secretFile
        self.caCertificate = caCertificate
    }
}
