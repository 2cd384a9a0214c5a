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
    /// GOV.UK Notify, for e-mail (when there is no SMTP server) and text messages.
    public var notify: NotifySettings?
    /// Microsoft Teams channels (incoming webhooks or Workflows) that get escalations as cards.
    public var teams: [TeamsSettings]?
    /// Per role, the channels people are told through (`email`, `sms`) unless they chose their
    /// own; `email` when absent.
    public var channelsByRole: [String: [PersonalChannel]]?

    /// Creates settings.
    public init(
        smtp: SMTPSettings? = nil, webhooks: [WebhookSettings]? = nil, standardsReminderAddress: String? = nil,
        notify: NotifySettings? = nil, teams: [TeamsSettings]? = nil, channelsByRole: [String: [PersonalChannel]]? = nil
    ) {
        self.smtp = smtp
        self.webhooks = webhooks
        self.standardsReminderAddress = standardsReminderAddress
        self.notify = notify
        self.teams = teams
        self.channelsByRole = channelsByRole
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

/// GOV.UK Notify (`notifications.notify`).
///
/// ```json
/// "notify": { "apiKeyFile": "notify.key", "emailTemplateId": "…", "smsTemplateId": "…" }
/// ```
///
/// The key file (mode 0600) holds the key as Notify shows it, `{key_name}-{service_id}-{secret}`.
/// Each template has the placeholders `((subject))` and `((body))` (text messages only `((body))`).
public struct NotifySettings: Codable, Sendable {
    /// The API key file.
    public var apiKeyFile: String
    /// The API's base URL (default `https://api.notifications.service.gov.uk`).
    public var baseURL: String?
    /// The e-mail template's id.
    public var emailTemplateId: String?
    /// The text message template's id.
    public var smsTemplateId: String?
    /// PEM CA file for the API; the system store when absent.
    public var caCertificate: String?

    /// Creates settings.
    public init(
        apiKeyFile: String, baseURL: String? = nil, emailTemplateId: String? = nil, smsTemplateId: String? = nil,
        caCertificate: String? = nil
    ) {
        self.apiKeyFile = apiKeyFile
        self.baseURL = baseURL
        self.emailTemplateId = emailTemplateId
        self.smsTemplateId = smsTemplateId
        self.caCertificate = caCertificate
    }
}

/// A Microsoft Teams channel (`notifications.teams[]`): escalations are posted to it as
/// Adaptive Cards through the same queue as e-mail.
public struct TeamsSettings: Codable, Sendable, Hashable {
    /// The incoming webhook or Workflows URL.
    public var url: String
    /// The dashboard's address, for the card's link to the case page.
    public var dashboardURL: String
    /// PEM CA file for the endpoint; the system store when absent.
    public var caCertificate: String?

    /// Creates settings.
    public init(url: String, dashboardURL: String, caCertificate: String? = nil) {
        self.url = url
        self.dashboardURL = dashboardURL
        self.caCertificate = caCertificate
    }
}

/// How a person is told: by e-mail (SMTP, or Notify without SMTP) or by text message (Notify).
public enum PersonalChannel: String, Codable, Sendable, CaseIterable {
    /// E-mail.
    case email
    /// A text message to their mobile number.
    case sms
}
