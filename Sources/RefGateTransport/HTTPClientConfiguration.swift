/// How the client authenticates and how long it waits.
public struct HTTPClientConfiguration: Sendable {
    /// TLS settings: for peers, mutual TLS anchored on the regional CA only.
    public struct TLS: Sendable {
        /// PEM file of the only trust anchor (the regional CA for peers); nil uses the system
        /// store (webhooks to public endpoints).
        public var caCertificatePath: String?
        /// PEM client (auth) certificate presented to the server, if any.
        public var clientCertificatePath: String?
        /// PEM private key of the client certificate.
        public var clientKeyPath: String?

        /// Creates TLS settings.
        public init(caCertificatePath: String?, clientCertificatePath: String? = nil, clientKeyPath: String? = nil) {
            self.caCertificatePath = caCertificatePath
            self.clientCertificatePath = clientCertificatePath
            self.clientKeyPath = clientKeyPath
        }
    }

    /// Mutual TLS for `https` peers; nil allows only plain `http` (the loopback admin API).
    public var tls: TLS?
    /// Time allowed to establish a connection, including TLS.
    public var connectTimeout: Duration
    /// Time allowed for a whole exchange.
    public var totalTimeout: Duration
    /// Largest response body accepted.
    public var maxResponseBytes: Int
    /// Concurrent connections kept per peer host.
    public var maxConnectionsPerHost: Int

    /// The default `connectTimeout`.
    public static let defaultConnectTimeout: Duration = .seconds(5)
    /// The default `totalTimeout`.
    public static let defaultTotalTimeout: Duration = .seconds(30)

    /// Creates a configuration with production defaults (5 s connect, 30 s total, 1 MiB responses).
    public init(
        tls: TLS?, connectTimeout: Duration = defaultConnectTimeout, totalTimeout: Duration = defaultTotalTimeout,
        maxResponseBytes: Int = 1 << 20, maxConnectionsPerHost: Int = 4
    ) {
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxConnectionsPerHost = maxConnectionsPerHost
    }
}
