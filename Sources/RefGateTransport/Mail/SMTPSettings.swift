/// How to reach the mail server.
public struct SMTPSettings: Codable, Sendable, Hashable {
    /// Transport security.
    public enum Security: String, Codable, Sendable {
        /// No TLS (a relay on the same host or a test server only).
        case plain
        /// STARTTLS, required: the session fails rather than continue unencrypted.
        case starttls
        /// Implicit TLS (`smtps://`, usually port 465).
        case tls
    }

    /// Host name of the server.
    public var host: String
    /// Port (25, 587 or 465 usually).
    public var port: Int
    /// Transport security.
    public var security: Security
    /// Envelope and header sender, e.g. `refgate@manchester.example`.
    public var from: String
    /// Display name of the sender.
    public var fromName: String?
    /// User name for AUTH, if the server needs it.
    public var username: String?
    /// File holding the password (never the password itself in the config).
    public var passwordFile: String?
    /// PEM CA file to verify the server with; nil uses the system store.
    public var caCertificate: String?

    /// Creates settings.
    public init(
        host: String, port: Int, security: Security, from: String, fromName: String? = nil, username: String? = nil,
        passwordFile: String? = nil, caCertificate: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.from = from
        self.fromName = fromName
        self.username = username
        self.passwordFile = passwordFile
        self.caCertificate = caCertificate
    }
}
