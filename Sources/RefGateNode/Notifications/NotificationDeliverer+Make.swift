import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust

extension NotificationDeliverer {
    /// Builds the deliverer from the configuration: a mailer if SMTP is set, a client and
    /// secret per webhook (files are read now, so a bad path fails at start-up).
    static func make(
        configuration: NodeConfiguration, store: Store, signer: MessageSigner, clock: any NodeClock,
        signal: WakeSignal, timing: DeliveryTiming, logger: Logger
    ) throws -> NotificationDeliverer {
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
        return NotificationDeliverer(
            authority: configuration.authority, store: store, clock: clock, signal: signal, mailer: mailer,
            webhooks: webhooks, signInCodes: SignInCodes(signer: signer), timing: timing, logger: logger)
    }

    /// Stops the mailer and webhook clients.
    func shutdownClients() async {
        await mailer?.shutdown()
        for webhook in webhooks.values { await webhook.client.shutdown() }
    }
}
