/// Sends e-mail: the notification queue's seam. `SMTPMailer` is the real one; tests of the
/// engine can hold messages in memory instead of running a mail server.
public protocol Mailer: Sendable {
    /// The `From` mailbox.
    var sender: MailMessage.Mailbox { get }
    /// Sends one message to its recipients. Throws `TransportError` (`rejected` for a
    /// permanent refusal, `login-denied`, or the network's codes).
    func send(_ message: MailMessage) async throws
    /// Closes connections; idempotent.
    func shutdown() async
}

extension SMTPMailer: Mailer {}
