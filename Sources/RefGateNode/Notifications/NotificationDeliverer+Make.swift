import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust

extension NotificationDeliverer {
    /// The channels the configuration sets up: a mailer if SMTP is set, a client and secret per
    /// webhook (files are read now, so a bad path fails at start-up).
    static func channels(configuration: NodeConfiguration, logger: Logger) throws -> (
        mailer: (any Mailer)?, webhooks: [String: Webhook]
    ) {
        let settings = configuration.notifications ?? NotificationSettings()
        let mailer = try settings.smtp.map { try SMTPMailer(settings: $0, logger: logger) }
        var webhooks: [String: Webhook] = [:]
        if let file = settings.smtp?.passwordFile { try PEMFile.checkPrivate(file, what: "SMTP password file") }
        for webhook in settings.webhooks ?? [] {
            let text = try PEMFile.readSecret(webhook.secretFile, what: "webhook secret")
            guard case let secret = text.trimmingCharacters(in: .whitespacesAndNewlines), secret.count >= 16
            else {
                throw RefGateError(
                    .configurationInvalid,
                    "webhook \(webhook.url): cannot read a secret of at least 16 characters from \(webhook.secretFile)")
            }
            let client = try CurlHTTPClient(
                configuration: HTTPClientConfiguration(tls: .init(caCertificatePath: webhook.caCertificate)),
                logger: logger)
            webhooks[webhook.url] = Webhook(client: client, secret: secret)
        }
        return (mailer, webhooks)
    }

    /// GOV.UK Notify and the Teams channels the configuration sets up (the key file is read now).
    static func services(configuration: NodeConfiguration, logger: Logger) async throws -> (
        notify: NotifyClient?, teams: [String: CurlHTTPClient]
    ) {
        let settings = configuration.notifications ?? NotificationSettings()
        var notify: NotifyClient?
        if let settings = settings.notify { notify = try await NotifyClient(settings: settings, logger: logger) }
        var teams: [String: CurlHTTPClient] = [:]
        for channel in settings.teams ?? [] {
            guard channel.url.hasPrefix("https://") || channel.url.hasPrefix("http://127.0.0.1") else {
                throw RefGateError(
                    .configurationInvalid, "notifications.teams url must be https (plain http only on loopback)")
            }
            teams[channel.url] = try CurlHTTPClient(
                configuration: HTTPClientConfiguration(
                    tls: channel.url.hasPrefix("https://") ? .init(caCertificatePath: channel.caCertificate) : nil),
                logger: logger)
        }
        return (notify, teams)
    }

    /// Stops the mailer, webhook, Notify and Teams clients.
    func shutdownClients() async {
        await mailer?.shutdown()
        for webhook in webhooks.values { await webhook.client.shutdown() }
        await notify?.client.shutdown()
        for client in teams.values { await client.shutdown() }
    }
}
