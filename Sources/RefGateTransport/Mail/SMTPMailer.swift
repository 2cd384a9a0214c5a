import CCurl
import Foundation
import Logging

/// Sends e-mail through libcurl's SMTP, on its own multi-interface driver.
public final class SMTPMailer: Sendable {
    private let driver: CurlMultiDriver
    private let settings: SMTPSettings
    private let password: String?

    /// Creates a mailer; reads the password file now so a bad path fails at start-up.
    public init(settings: SMTPSettings, logger: Logger = Logger(label: "refgate.smtp")) throws {
        self.settings = settings
        if let file = settings.passwordFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw TransportError(.localCredentials, "cannot read the SMTP password file \(file)")
            }
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            password = nil
        }
        driver = try CurlMultiDriver(
            configuration: HTTPClientConfiguration(tls: nil, connectTimeout: .seconds(10), totalTimeout: .seconds(60)),
            logger: logger)
    }

    /// The sender mailbox from the settings.
    public var sender: MailMessage.Mailbox { .init(settings.from, name: settings.fromName) }

    /// Sends one message to its recipients. Throws `TransportError`: `rejected` when the server
    /// refused the message or a recipient permanently (5xx), `login-denied` when it refused our
    /// login; what follows from each is the notification queue's decision (`NotificationVerdict`).
    public func send(_ message: MailMessage) async throws {
        let settings = self.settings
        let password = self.password
        let scheme = settings.security == .tls ? "smtps" : "smtp"
        let url = "\(scheme)://\(settings.host):\(settings.port)"
        do {
            _ = try await driver.perform(
                description: url, overTLS: settings.security != .plain, upload: message.rendered()
            ) { easy, transfer in
                try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_URL, url), "URL")
                try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps"), "protocols")
                try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_MAIL_FROM, "<\(settings.from)>"), "MAIL FROM")
                try curlCheck(
                    refgate_easy_setopt_slist(
                        easy, CURLOPT_MAIL_RCPT, transfer.list(message.to.map { "<\($0.address)>" })),
                    "RCPT TO")
                if settings.security != .plain {
                    try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)), "TLS")
                    try CurlHTTPClient.configureTLS(easy, .init(caCertificatePath: settings.caCertificate))
                }
                if let username = settings.username {
                    try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_USERNAME, username), "user")
                    try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_PASSWORD, password ?? ""), "password")
                }
            }
        } catch var error as TransportError {
            // libcurl reports the server's last reply code; 5xx is a permanent refusal.
            if let status = error.status, status >= 500, error.code != .loginDenied { error.code = .rejected }
            throw error
        }
    }

    /// Stops the driver thread.
    public func shutdown() async { await driver.shutdown() }
}
