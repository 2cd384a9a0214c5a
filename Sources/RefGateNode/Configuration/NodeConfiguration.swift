import Foundation
import RefGateCore
import RefGateStore

/// A node's configuration file (JSON). Relative paths are resolved against the file's folder.
///
/// ```json
/// {
///   "authority": "E08000003",
///   "name": "Manchester City Council",
///   "peerListener": { "host": "0.0.0.0", "port": 8443 },
///   "localListener": { "host": "127.0.0.1", "port": 8444 },
///   "adminTokenFile": "admin.token",
///   "directory": "directory.jws",
///   "caCertificate": "ca.pem",
///   "authCertificate": "auth.pem", "authKey": "auth.key",
///   "signCertificate": "sign.pem", "signKey": "sign.key",
///   "database": "refgate.sqlite"
/// }
/// ```
public struct NodeConfiguration: Codable, Sendable {
    /// This node's authority (GSS code).
    public var authority: AuthorityID
    /// The authority's name, for logs and the admin API.
    public var name: String
    /// Where the mutual-TLS peer API listens.
    public var peerListener: Listener
    /// Where the admin API listens; must be a loopback address.
    public var localListener: Listener
    /// File holding the admin API bearer token (created with mode 0600 if missing).
    public var adminTokenFile: String
    /// The signed directory (compact JWS).
    public var directory: String
    /// The regional CA certificate (PEM): the only trust anchor.
    public var caCertificate: String
    /// Auth certificate (TLS client and server), PEM.
    public var authCertificate: String
    /// Auth private key, PEM.
    public var authKey: String
    /// Sign certificate, PEM.
    public var signCertificate: String
    /// Sign private key, PEM.
    public var signKey: String
    /// Where the node's state is: a SQLite file (`"refgate.sqlite"`), or a PostgreSQL database
    /// several instances share (`{"postgres": {"host": …, "user": …, "passwordFile": …}}`).
    public var database: DatabaseLocation
    /// Limits on what peers may send; defaults apply when omitted.
    public var limits: Limits?
    /// Delivery settings; defaults apply when omitted.
    public var delivery: Delivery?
    /// Deadline policy and working calendar; the procedure's defaults apply when omitted.
    public var policy: PolicySettings?
    /// E-mail and webhooks to people; nothing is sent when omitted.
    public var notifications: NotificationSettings?
    /// Who holds the roles escalations are routed to.
    public var people: PeopleSettings?
    /// The authority's own job titles and the level each is in the procedure (para 5, the
    /// ladder): `{"Group manager": "service-manager", "Assistant director": "head-of-service"}`.
    /// A user added with one of these titles gets its level; case and spaces do not matter.
    public var jobTitles: [String: Seniority]?
    /// Days before the directory's expiry that operators are warned (default 14).
    public var directoryWarningDays: Int?
    /// How long closed cases' personal data is kept; UK GDPR defaults apply when omitted.
    public var retention: Retention?
    /// Connection limits of the local listener; defaults apply when omitted.
    public var localListenerLimits: ConnectionLimits?
    /// TLS on the local API and dashboard listener. Absent, the listener speaks plain HTTP,
    /// which `check()` allows on a loopback address only.
    public var localTLS: LocalTLS?
    /// Scheduled backups; none are taken when omitted (`refgate backup` takes one by hand).
    public var backup: BackupSettings?
    /// Where to fetch newer directory versions from; none: installed by hand only.
    public var directorySources: [DirectorySource]?
    /// Minutes between fetches (default 10).
    public var directoryPollMinutes: Double?
    /// Hours without a successful fetch after which operators are told (default 24).
    public var directoryFetchAlertHours: Double?
    /// The agency and the region: notices, links, figures and their ratings.
    public var region: RegionSettings?
    /// How people sign in to the dashboard: one-time codes, OpenID Connect.
    public var signIn: SignInSettings?

    /// The local listener's TLS: by default the node's auth certificate and key.
    public struct LocalTLS: Codable, Sendable {
        /// PEM certificate chain to serve (default: the auth certificate).
        public var certificate: String?
        /// Its PEM private key (default: the auth key).
        public var key: String?
        /// The anchor the CLI checks the listener against (default: the regional CA when the auth
        /// certificate is served, else the system's trust store).
        public var caCertificate: String?

        /// Creates settings; nil fields take the defaults.
        public init(certificate: String? = nil, key: String? = nil, caCertificate: String? = nil) {
            self.certificate = certificate
            self.key = key
            self.caCertificate = caCertificate
        }
    }

    /// Retention of personal data (``RetentionRule``).
    public struct Retention: Codable, Sendable {
        /// Years a verified case (which may have led to an appointment) is kept after it closes
        /// (default 6).
        public var appointedYears: Int?
        /// Years any other closed case is kept (default 1).
        public var notAppointedYears: Int?
        /// Years a case with a concern or a para 14 decision is kept (default 6).
        public var concernYears: Int?

        /// Creates settings; nil fields take the defaults.
        public init(appointedYears: Int? = nil, notAppointedYears: Int? = nil, concernYears: Int? = nil) {
            self.appointedYears = appointedYears
            self.notAppointedYears = notAppointedYears
            self.concernYears = concernYears
        }
    }

    /// A listening address.
    public struct Listener: Codable, Sendable {
        /// Host or IP address to bind.
        public var host: String
        /// TCP port (0 picks a free one).
        public var port: Int
        /// Creates a listener.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// `host:port` (`[host]:port` for IPv6), for messages.
        public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// Limits applied to incoming messages.
    public struct Limits: Codable, Sendable {
        /// Largest message body accepted, in bytes (default 65,536).
        public var maxMessageBytes: Int?
        /// Allowed difference between a message's `sentAt` and this node's clock, in seconds (default 300).
        public var clockSkewSeconds: Int?
        /// Seconds a peer connection may stay silent (a stalled TLS handshake included) before
        /// the listener closes it (default 30).
        public var idleTimeoutSeconds: Int?
        /// Peer connections open at once; further ones wait in the accept queue (default 256).
        public var maxConnections: Int?
        /// Peer connections open at once from one IP address; more are closed at once (default 64).
        public var maxConnectionsPerAddress: Int?
        /// Seconds from accept to a finished TLS handshake (default 5).
        public var handshakeTimeoutSeconds: Int?
        /// Creates limits.
        public init(
            maxMessageBytes: Int? = nil, clockSkewSeconds: Int? = nil, idleTimeoutSeconds: Int? = nil,
            maxConnections: Int? = nil, maxConnectionsPerAddress: Int? = nil, handshakeTimeoutSeconds: Int? = nil
        ) {
            self.maxMessageBytes = maxMessageBytes
            self.clockSkewSeconds = clockSkewSeconds
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.handshakeTimeoutSeconds = handshakeTimeoutSeconds
        }
    }

    /// Connection limits of the local listener (API and dashboard); defaults apply when omitted.
    public struct ConnectionLimits: Codable, Sendable {
        /// Seconds a connection may be idle between requests (default 30).
        public var idleTimeoutSeconds: Int?
        /// Connections open at once; further ones wait in the accept queue (default 512).
        public var maxConnections: Int?
        /// Connections open at once from one IP address; more are closed at once (default 128).
        public var maxConnectionsPerAddress: Int?
        /// Seconds from accept to a finished TLS handshake, or without TLS to a first request
        /// head (default 5).
        public var handshakeTimeoutSeconds: Int?
        /// Creates limits.
        public init(
            idleTimeoutSeconds: Int? = nil, maxConnections: Int? = nil, maxConnectionsPerAddress: Int? = nil,
            handshakeTimeoutSeconds: Int? = nil
        ) {
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.handshakeTimeoutSeconds = handshakeTimeoutSeconds
        }
    }

    /// Outbound delivery settings.
    public struct Delivery: Codable, Sendable {
        /// Connect timeout in seconds (default 5).
        public var connectTimeoutSeconds: Int?
        /// Total exchange timeout in seconds (default 30).
        public var totalTimeoutSeconds: Int?
        /// Base of the exponential backoff with full jitter, in seconds (default 1).
        public var initialBackoffSeconds: Double?
        /// Longest delay between attempts of one message, in seconds (default 900).
        public var maxBackoffSeconds: Double?
        /// While a peer is failing, the longest time between probes, in seconds (default 30).
        public var probeIntervalSeconds: Double?
        /// Failing this long makes a "peer unreachable" alert to operators, in seconds (default 3600).
        public var unreachableAlertSeconds: Double?
        /// Working days a message has to be receipted before it is a non-delivery (default 5).
        public var expiryWorkingDays: Double?
        /// Parallel connections to one peer (default 32).
        public var maxConnectionsPerPeer: Int?
        /// Several instances on one PostgreSQL database: how long an instance's claim on a
        /// message it sends lasts, in seconds (default 60, twice the exchange's time limit). A
        /// dead instance's claims lapse after this; a live one records every attempt sooner.
        public var claimLeaseSeconds: Double?

        /// Creates delivery settings.
        public init(
            connectTimeoutSeconds: Int? = nil, totalTimeoutSeconds: Int? = nil, initialBackoffSeconds: Double? = nil,
            maxBackoffSeconds: Double? = nil, probeIntervalSeconds: Double? = nil,
            unreachableAlertSeconds: Double? = nil, expiryWorkingDays: Double? = nil, maxConnectionsPerPeer: Int? = nil
        ) {
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.totalTimeoutSeconds = totalTimeoutSeconds
            self.initialBackoffSeconds = initialBackoffSeconds
            self.maxBackoffSeconds = maxBackoffSeconds
            self.probeIntervalSeconds = probeIntervalSeconds
            self.unreachableAlertSeconds = unreachableAlertSeconds
            self.expiryWorkingDays = expiryWorkingDays
            self.maxConnectionsPerPeer = maxConnectionsPerPeer
        }
    }

    /// Creates a configuration (paths may be relative to the file it is saved in).
    public init(
        authority: AuthorityID, name: String, peerListener: Listener, localListener: Listener, adminTokenFile: String,
        directory: String, caCertificate: String, authCertificate: String, authKey: String, signCertificate: String,
        signKey: String, database: String, limits: Limits? = nil, delivery: Delivery? = nil,
        policy: PolicySettings? = nil
    ) {
        self.authority = authority
        self.name = name
        self.peerListener = peerListener
        self.localListener = localListener
        self.adminTokenFile = adminTokenFile
        self.directory = directory
        self.caCertificate = caCertificate
        self.authCertificate = authCertificate
        self.authKey = authKey
        self.signCertificate = signCertificate
        self.signKey = signKey
        self.database = .sqlite(database)
        self.limits = limits
        self.delivery = delivery
        self.policy = policy
    }

    /// How long before the directory expires operators are warned.
    public var directoryWarning: TimeInterval { TimeInterval(directoryWarningDays ?? 14) * 86_400 }
    /// The retention rule in force.
    public var retentionRule: RetentionRule {
        RetentionRule(
            appointedYears: retention?.appointedYears ?? RetentionRule.default.appointedYears,
            notAppointedYears: retention?.notAppointedYears ?? RetentionRule.default.notAppointedYears,
            concernYears: retention?.concernYears ?? RetentionRule.default.concernYears)
    }
    /// Largest message body accepted.
    public var maxMessageBytes: Int { limits?.maxMessageBytes ?? 65_536 }
    /// How the peer listener treats connections.
    public var peerConnections: ConnectionPolicy {
        ConnectionPolicy(
            .peerDefault, maxConnections: limits?.maxConnections, maxPerAddress: limits?.maxConnectionsPerAddress,
            idleTimeout: limits?.idleTimeoutSeconds, handshakeTimeout: limits?.handshakeTimeoutSeconds)
    }
    /// How the local listener treats connections.
    public var localConnections: ConnectionPolicy {
        let limits = localListenerLimits
        return ConnectionPolicy(
            .localDefault, maxConnections: limits?.maxConnections, maxPerAddress: limits?.maxConnectionsPerAddress,
            idleTimeout: limits?.idleTimeoutSeconds, handshakeTimeout: limits?.handshakeTimeoutSeconds)
    }
    /// Allowed clock skew.
    public var clockSkew: TimeInterval { TimeInterval(limits?.clockSkewSeconds ?? 300) }

    /// The deadline policy, with its calendar (reads the bank holidays file if one is set).
    public func makePolicy() throws -> Policy {
        let settings = policy ?? PolicySettings()
        var holidays = BankHolidays()
        if let file = settings.bankHolidaysFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw RefGateError(
                    .configurationInvalid, "cannot read policy.bankHolidaysFile \(file): check the path")
            }
            holidays = try BankHolidays(govUKJSON: data)
        }
        let calendar = try WorkingCalendar(
            dayStart: settings.workingDayStart ?? WorkingCalendar.defaultDayStart,
            dayEnd: settings.workingDayEnd ?? WorkingCalendar.defaultDayEnd, holidays: holidays)
        typealias Defaults = Policy.Defaults
        return try Policy(
            calendar: calendar, responseWorkingDays: settings.responseWorkingDays ?? Defaults.responseWorkingDays,
            level1WorkingDays: settings.level1WorkingDays ?? Defaults.level1WorkingDays,
            level2WorkingDays: settings.level2WorkingDays ?? Defaults.level2WorkingDays,
            amberWorkingDays: settings.amberWorkingDays ?? Defaults.amberWorkingDays,
            reminderWorkingHours: settings.reminderWorkingHours ?? Defaults.reminderWorkingHours,
            messageExpiryWorkingDays: delivery?.expiryWorkingDays ?? Defaults.messageExpiryWorkingDays)
    }

    /// Retry timing from `delivery`, with the defaults: backoff base 1 s capped at 15 min,
    /// probes of a failing peer at most 30 s apart, "peer unreachable" after an hour.
    var deliveryTiming: DeliveryTiming {
        var timing = DeliveryTiming()
        if let base = delivery?.initialBackoffSeconds { timing.base = base }
        if let cap = delivery?.maxBackoffSeconds { timing.cap = cap }
        if let probe = delivery?.probeIntervalSeconds { timing.probeInterval = probe }
        if let alert = delivery?.unreachableAlertSeconds { timing.unreachableAfter = alert }
        if let lease = delivery?.claimLeaseSeconds { timing.claimLease = max(1, lease) }
        return timing
    }

    /// The SQLite file, for what works on SQLite only (backups, restores, file checks); on
    /// PostgreSQL an error that says what to use instead.
    public func sqliteDatabase(for what: String) throws -> String {
        guard let path = database.sqlitePath else {
            throw RefGateError(
                .configurationInvalid,
                "\(what) works on a SQLite store; this node's database is PostgreSQL (\(database)): use the server's own backups (pg_dump, pg_basebackup, point-in-time recovery), or `refgate store copy` to move it"
            )
        }
        return path
    }

    /// Settings renamed in an earlier release, old name → new name: still read, with a warning,
    /// for at least one release, so a node upgraded in place starts on its old file.
    public static let renamedSettings = ["adminListener": "localListener"]

    /// Loads and checks a configuration file, resolving relative paths against its folder.
    public static func load(path: String) throws -> NodeConfiguration {
        try loadWithWarnings(path: path).configuration
    }

    /// Loads and checks a configuration file, and says what in it is deprecated and how to
    /// change it (a renamed setting is read under its old name).
    public static func loadWithWarnings(path: String) throws -> (configuration: NodeConfiguration, warnings: [String]) {
        guard var data = FileManager.default.contents(atPath: path) else {
            throw RefGateError(
                .configurationInvalid, "cannot read the configuration file \(path): check the --config path")
        }
        var warnings: [String] = []
        if var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            for (old, new) in renamedSettings.sorted(by: { $0.key < $1.key }) where object[old] != nil {
                if object[new] == nil {
                    object[new] = object.removeValue(forKey: old)
                    warnings.append(
                        "\(path): '\(old)' is now called '\(new)'; rename it (the old name is read for one more release)"
                    )
                } else {
                    object.removeValue(forKey: old)
                    warnings.append("\(path): '\(old)' is ignored: '\(new)', its new name, is set; remove '\(old)'")
                }
            }
            if !warnings.isEmpty { data = try JSONSerialization.data(withJSONObject: object) }
        }
        var configuration: NodeConfiguration
        do {
            configuration = try JSONDecoder().decode(NodeConfiguration.self, from: data)
        } catch {
            throw RefGateError(.configurationInvalid, "\(path): \(DecodingError.explain(error, noun: "setting"))")
        }
        let base = (path as NSString).deletingLastPathComponent
        configuration.resolvePaths(relativeTo: base.isEmpty ? "." : base)
        try configuration.check()
        return (configuration, warnings)
    }

    /// Makes every relative file path absolute against `base`.
    public mutating func resolvePaths(relativeTo base: String) {
        func resolve(_ path: inout String) {
            if !path.hasPrefix("/") { path = (base as NSString).appendingPathComponent(path) }
        }
        resolve(&adminTokenFile)
        resolve(&directory)
        resolve(&caCertificate)
        resolve(&authCertificate)
        resolve(&authKey)
        resolve(&signCertificate)
        resolve(&signKey)
        database.resolvePaths(relativeTo: base)
        let absolute: (String) -> String = { path in
            path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        }
        if var tls = localTLS {
            tls.certificate = tls.certificate.map(absolute)
            tls.key = tls.key.map(absolute)
            tls.caCertificate = tls.caCertificate.map(absolute)
            localTLS = tls
        }
        if let file = policy?.bankHolidaysFile { policy?.bankHolidaysFile = absolute(file) }
        directorySources = directorySources?.map { source in
            var source = source
            source.caCertificate = source.caCertificate.map(absolute)
            return source
        }
        if var settings = backup {
            settings.folder = absolute(settings.folder)
            settings.sealTo = settings.sealTo.map(absolute)
            backup = settings
        }
        if var settings = notifications {
            if var smtp = settings.smtp {
                smtp.passwordFile = smtp.passwordFile.map(absolute)
                smtp.caCertificate = smtp.caCertificate.map(absolute)
                settings.smtp = smtp
            }
            if var notify = settings.notify {
                notify.apiKeyFile = absolute(notify.apiKeyFile)
                notify.caCertificate = notify.caCertificate.map(absolute)
                settings.notify = notify
            }
            settings.teams = settings.teams?.map { channel in
                var channel = channel
                channel.caCertificate = channel.caCertificate.map(absolute)
                return channel
            }
            settings.webhooks = settings.webhooks?.map { webhook in
                var webhook = webhook
                webhook.secretFile = absolute(webhook.secretFile)
                webhook.caCertificate = webhook.caCertificate.map(absolute)
                return webhook
            }
            notifications = settings
        }
        if var settings = signIn, var oidc = settings.oidc {
            oidc.clientSecretFile = oidc.clientSecretFile.map(absolute)
            oidc.caCertificate = oidc.caCertificate.map(absolute)
            settings.oidc = oidc
            signIn = settings
        }
        if var settings = region {
            settings.agencyNoticeTemplates = settings.agencyNoticeTemplates?.mapValues(absolute)
            region = settings
        }
    }

    /// The region's options, with templates read; the one-time links' default base is the
    /// local listener's own address.
    public func makeRegionOptions() throws -> RegionOptions {
        let scheme = localTLS == nil ? "http" : "https"
        return try (region ?? RegionSettings()).options(localListenerURL: "\(scheme)://\(localListener.address)")
    }

    /// Rejects settings that would make an insecure or broken node.
    public func check() throws {
        try signIn?.oidc?.check()
        if case .postgres(let settings) = database {
            _ = try settings.endpoint()
            _ = try settings.usesTLS(host: try settings.endpoint().host)
            guard backup == nil else {
                throw RefGateError(
                    .configurationInvalid,
                    "backup takes snapshots of a SQLite file; this node's database is PostgreSQL: remove `backup` and use the server's own backups (pg_dump, pg_basebackup, point-in-time recovery)"
                )
            }
        }
        let loopback = ["127.0.0.1", "::1", "localhost"]
        // People reach the local API from their desks, but never in clear text over a network.
        guard loopback.contains(localListener.host) || localTLS != nil else {
            throw RefGateError(
                .configurationInvalid,
                "localListener.host is \(localListener.host) without localTLS: add \"localTLS\": {} to serve it over TLS with the auth certificate (or name a certificate and key), or bind 127.0.0.1"
            )
        }
        if let tls = localTLS, (tls.certificate == nil) != (tls.key == nil) {
            throw RefGateError(
                .configurationInvalid, "localTLS: give both certificate and key, or neither (to use the auth pair)")
        }
        for (name, port) in [("peerListener", peerListener.port), ("localListener", localListener.port)]
        where !(0...65535).contains(port) {
            throw RefGateError(.configurationInvalid, "\(name).port \(port) is not a TCP port (0–65535)")
        }
        let rule = retentionRule
        if rule.appointedYears < 1 || rule.notAppointedYears < 1 || rule.notAppointedYears > rule.appointedYears {
            throw RefGateError(
                .configurationInvalid,
                "retention: appointedYears and notAppointedYears must be at least 1, and notAppointedYears no more than appointedYears"
            )
        }
        if rule.concernYears < rule.notAppointedYears {
            throw RefGateError(
                .configurationInvalid,
                "retention: concernYears (\(rule.concernYears)) must be at least notAppointedYears (\(rule.notAppointedYears)): a case with a concern is kept no shorter than one without"
            )
        }
        for source in directorySources ?? [] where !source.url.lowercased().hasPrefix("https://") {
            throw RefGateError(.configurationInvalid, "directorySources: \(source.url) is not an https:// URL")
        }
        if let minutes = directoryPollMinutes, !(1...1440).contains(minutes) {
            throw RefGateError(.configurationInvalid, "directoryPollMinutes must be 1 to 1440")
        }
        if let hours = directoryFetchAlertHours, !(1...720).contains(hours) {
            throw RefGateError(.configurationInvalid, "directoryFetchAlertHours must be 1 to 720")
        }
        if let backup {
            guard (1...720).contains(backup.intervalHours ?? 24), (1...1000).contains(backup.kept) else {
                throw RefGateError(
                    .configurationInvalid, "backup: intervalHours must be 1 to 720 and keep 1 to 1000")
            }
        }
        if let days = directoryWarningDays, days < 1 {
            throw RefGateError(.configurationInvalid, "directoryWarningDays must be at least 1")
        }
        let counts: [(String, Int?)] = [
            ("limits.idleTimeoutSeconds", limits?.idleTimeoutSeconds),
            ("limits.maxConnections", limits?.maxConnections),
            ("limits.maxConnectionsPerAddress", limits?.maxConnectionsPerAddress),
            ("limits.handshakeTimeoutSeconds", limits?.handshakeTimeoutSeconds),
            ("localListenerLimits.idleTimeoutSeconds", localListenerLimits?.idleTimeoutSeconds),
            ("localListenerLimits.maxConnections", localListenerLimits?.maxConnections),
            ("localListenerLimits.maxConnectionsPerAddress", localListenerLimits?.maxConnectionsPerAddress),
            ("localListenerLimits.handshakeTimeoutSeconds", localListenerLimits?.handshakeTimeoutSeconds),
        ]
        for (name, value) in counts {
            if let value, value < 1 { throw RefGateError(.configurationInvalid, "\(name) must be at least 1") }
        }
        if let bytes = limits?.maxMessageBytes, bytes < 1024 {
            throw RefGateError(.configurationInvalid, "limits.maxMessageBytes must be at least 1024")
        }
        _ = try makePolicy()
        for webhook in notifications?.webhooks ?? [] where !webhook.url.hasPrefix("https://") {
            throw RefGateError(.configurationInvalid, "webhook \(webhook.url) must be an https:// URL")
        }
    }
}
