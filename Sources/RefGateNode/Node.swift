import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust
import ServiceLifecycle

/// One authority's node: store, engine, deliverer and the two HTTP listeners, ready to run
/// as `Service`s in one `ServiceGroup`.
public struct Node: Sendable {
    /// The configuration it was built from.
    public let configuration: NodeConfiguration
    /// The case engine.
    public let engine: CaseEngine
    /// The store.
    public let store: Store
    /// The directory in force.
    public let directory: DirectoryHolder
    /// Services to run, in start order (they stop in reverse).
    public let services: [any Service]
    /// The deadline scheduler (tests and the demo call `tick()` after moving an injected clock).
    public let scheduler: DeadlineScheduler
    /// Operator alerts about the directory in force (tests call `check()` after moving the clock).
    public let directoryWatch: DirectoryWatch
    /// Fetches newer directory versions from `directorySources`, if any are configured.
    public let directoryFetcher: DirectoryFetcher?
    /// The peer API's bound port.
    public let peerPort: ListenerPort
    /// The admin API's bound port.
    public let localPort: ListenerPort

    /// Builds a node: opens the store, verifies the directory (refusing a rollback below the
    /// highest version ever installed here) and checks that this node's certificates are the
    /// ones the directory lists for its authority.
    /// `configurationPath` is the file it was read from, which scheduled backups keep.
    public static func make(
        configuration: NodeConfiguration, configurationPath: String? = nil, clock: any NodeClock = SystemClock(),
        logger baseLogger: Logger
    ) async throws -> Node {
        let logger = {
            var logger = baseLogger
            logger[metadataKey: "authority"] = "\(configuration.authority)"
            return logger
        }()
        try configuration.checkSecretFiles()
        // The store wakes the services whose queues each commit touched.
        let signals = WorkSignals()
        let store = try Store(configuration.database, logger: logger, wake: signals.wake)
        let anchor = try CertificateFile.loadCertificate(configuration.caCertificate, what: "regional CA certificate")
        let compact = try PEMFile.read(configuration.directory, what: "directory").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let held = try await store.read { try $0.highestDirectoryVersion() }
        let trusted = try await TrustedDirectory.verify(
            compact: compact, anchor: anchor, now: clock.now(), heldVersion: held)
        let signCertificate = try CertificateFile.loadCertificate(
            configuration.signCertificate, what: "sign certificate")
        let signer = try MessageSigner(
            certificate: signCertificate,
            key: try CertificateFile.loadPrivateKey(configuration.signKey, what: "sign key"))
        let authCertificate = try CertificateFile.loadCertificate(
            configuration.authCertificate, what: "auth certificate")
        guard let me = trusted.member(configuration.authority) else {
            throw RefGateError(
                .configurationInvalid,
                "authority \(configuration.authority) is not in directory version \(trusted.directory.version)")
        }
        // The pair the directory lists for this authority, or while it rotates, its next pair.
        guard me.lists(authThumbprint: try Thumbprint.of(authCertificate), signThumbprint: signer.kid) else {
            throw RefGateError(
                .configurationInvalid,
                "this node's auth or sign certificate is not the one the directory lists for \(configuration.authority) (nor its next pair)"
            )
        }
        let installedAt = clock.now()
        try await store.write { tx in
            try tx.insertDirectory(
                version: trusted.directory.version, digest: trusted.jws.digest, signed: trusted.jws.compact,
                at: installedAt)
        }
        let holder = DirectoryHolder(trusted)
        let token = try AdminToken.loadOrCreate(path: configuration.adminTokenFile)
        let delivery = configuration.delivery
        let client = try CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                tls: .init(
                    caCertificatePath: configuration.caCertificate,
                    clientCertificatePath: configuration.authCertificate, clientKeyPath: configuration.authKey),
                connectTimeout: delivery?.connectTimeoutSeconds.map { .seconds($0) }
                    ?? HTTPClientConfiguration.defaultConnectTimeout,
                totalTimeout: delivery?.totalTimeoutSeconds.map { .seconds($0) }
                    ?? HTTPClientConfiguration.defaultTotalTimeout,
                // Enough parallel HTTP/1.1 exchanges per peer for its group commits to fill.
                maxConnectionsPerHost: delivery?.maxConnectionsPerPeer ?? 32),
            logger: logger)
        let channels = try NotificationDeliverer.channels(configuration: configuration, logger: logger)
        let services = try await NotificationDeliverer.services(configuration: configuration, logger: logger)
        let transport = PeerExchange(client: client, directory: holder)
        let core = NodeEngine.make(
            settings: .init(
                configuration: configuration, policy: try configuration.makePolicy(),
                region: try configuration.makeRegionOptions()), store: store,
            signals: signals, directory: holder, signer: signer, clock: clock, transport: transport,
            mailer: channels.mailer, webhooks: channels.webhooks, notify: services.notify, teams: services.teams,
            logger: logger)
        let engine = core.engine
        let peerPort = ListenerPort(what: "peer API")
        let localPort = ListenerPort(what: "local API")
        let metrics = engine.context.metrics
        let installer = DirectoryInstaller(
            holder: holder, store: store, path: configuration.directory, clock: clock, logger: logger)
        let fetcher = try configuration.directorySources.flatMap { sources in
            sources.isEmpty
                ? nil
                : try DirectoryFetcher(
                    sources: sources, installer: installer, holder: holder, store: store,
                    planner: engine.context.planner, clock: clock,
                    pollMinutes: configuration.directoryPollMinutes ?? 10,
                    alertHours: configuration.directoryFetchAlertHours ?? 24,
                    clientCertificate: configuration.authCertificate, clientKey: configuration.authKey, logger: logger)
        }
        if let fetcher { transport.onPeerDirectory { await fetcher.peerHolds(version: $0) } }
        var peerAPI = PeerAPI(intake: engine.intake, maxMessageBytes: configuration.maxMessageBytes, metrics: metrics)
        peerAPI.directoryVersion = { await holder.current.directory.version }
        if let fetcher { peerAPI.peerDirectory = { await fetcher.peerHolds(version: $0) } }
        let peerApp = Application(
            router: peerAPI.router(),
            server: configuration.peerConnections.serverBuilder(
                tls: try Self.peerTLS(configuration), refused: { metrics.connectionRefused(listener: "peer", $0) }),
            configuration: .init(
                address: .hostname(configuration.peerListener.host, port: configuration.peerListener.port),
                serverName: "refgate",
                availableConnectionsDelegate: configuration.peerConnections.availableConnections),
            onServerRunning: { peerPort.set($0.localAddress?.port ?? 0) },
            logger: logger)
        let health = NodeHealth(
            queries: engine.queries, metrics: metrics, store: store, directory: holder, clock: clock,
            certificates: [
                (
                    "auth",
                    try CertificateFile.loadCertificate(configuration.authCertificate, what: "auth certificate")
                ),
                ("sign", signCertificate),
            ])
        let localAPI = LocalAPI(
            commands: engine.commands, queries: engine.queries, audit: engine.audit,
            personalData: engine.personalData, accounts: engine.accounts, agencies: engine.agencies,
            region: engine.region, token: token,
            status: {
                let current = await holder.current
                let counts = try await store.read { try $0.outboxCounts() }
                return NodeStatus(
                    authority: configuration.authority, name: configuration.name,
                    directoryVersion: current.directory.version, directoryExpiresAt: current.directory.expiresAt,
                    outbox: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                    databaseSynchronous: try store.synchronousMode())
            },
            installDirectory: { compact in try await installer.install(compact: compact) },
            health: health,
            recovery: PeerRecovery(
                authority: configuration.authority, intake: engine.intake, transport: transport, store: store,
                directory: holder, logger: logger))
        let localRouter = Router(context: LocalRequestContext.self)
        localRouter.add(middleware: VersionMiddleware())
        localRouter.add(middleware: ProblemMiddleware())
        localAPI.add(to: localRouter)
        let signIn = OneTimeCodeSignIn(accounts: engine.accounts)
        let oidc = try configuration.signIn?.oidc.map {
            try OIDCSignIn(settings: $0, accounts: engine.accounts, store: store, clock: clock, logger: logger)
        }
        try Dashboard(
            commands: engine.commands, queries: engine.queries, accounts: engine.accounts,
            agencies: engine.agencies, region: engine.region, clock: clock, health: health, signIn: signIn,
            authorityName: configuration.name, oidc: oidc, oneTimeCodes: configuration.signIn?.oneTimeCodes ?? true
        ).add(to: localRouter)
        let adminApp = Application(
            router: localRouter,
            server: configuration.localConnections.serverBuilder(
                tls: try configuration.localTLS.map { try Self.localTLS($0, configuration) },
                refused: { metrics.connectionRefused(listener: "local", $0) }),
            configuration: .init(
                address: .hostname(configuration.localListener.host, port: configuration.localListener.port),
                serverName: "refgate-admin",
                availableConnectionsDelegate: configuration.localConnections.availableConnections),
            onServerRunning: { localPort.set($0.localAddress?.port ?? 0) },
            logger: logger)
        return Node(
            configuration: configuration, engine: engine, store: store, directory: holder,
            // ServiceGroup stops services in reverse order: the deliverer drains first, then the
            // client closes its connections, then the listeners stop.
            services: [
                ListenerService(
                    listener: peerApp, port: peerPort, siblings: [localPort],
                    address: configuration.peerListener.address),
                ListenerService(
                    listener: adminApp, port: localPort, siblings: [peerPort],
                    address: configuration.localListener.address),
                ShutdownService { await client.shutdown() },
                ShutdownService { await oidc?.provider.shutdown() },
            ] + core.services + [signIn] + (fetcher.map { [$0] } ?? [])
                + (configuration.backup.map {
                    [
                        BackupService(
                            settings: $0, configuration: configuration, configurationPath: configurationPath,
                            store: store, clock: clock, signal: WakeSignal(), logger: logger)
                    ]
                } ?? []),
            scheduler: core.scheduler, directoryWatch: core.directoryWatch, directoryFetcher: fetcher,
            peerPort: peerPort, localPort: localPort)
    }

    /// TLS for the local listener: server authentication only (people sign in with tokens), TLS
    /// 1.2 at least, forward-secret AEAD suites only whatever the certificate's key (ECDSA or an
    /// operator's own RSA one).
    static func localTLS(_ settings: NodeConfiguration.LocalTLS, _ configuration: NodeConfiguration) throws
        -> TLSConfiguration
    {
        let certificate = settings.certificate ?? configuration.authCertificate
        let keyPath = settings.key ?? configuration.authKey
        let key = try privateKey(keyPath, what: "local listener's key (localTLS.key)")
        do {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(key))
            tls.minimumTLSVersion = .tlsv12
            tls.cipherSuites = Self.localCipherSuites
            tls.shutdownTimeout = .seconds(1)
            return tls
        } catch {
            throw RefGateError(
                .certificateInvalid, "cannot load the local listener's certificate \(certificate): \(error)")
        }
    }

    /// The TLS 1.2 suites the peer listener offers (Mozilla "intermediate", ECDSA keys only).
    static let peerCipherSuites =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305"

    /// The TLS 1.2 suites the local listener offers: Mozilla "intermediate" for ECDSA and RSA
    /// keys (BoringSSL has no DHE).
    static let localCipherSuites =
        peerCipherSuites + ":ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305"

    /// A PEM private key for TLS, read through the one secret-file check (owner-only regular
    /// file) every key the node reads passes.
    static func privateKey(_ path: String, what: String) throws -> NIOSSLPrivateKey {
        let pem = try PEMFile.readSecret(path, what: what)
        do {
            return try NIOSSLPrivateKey(bytes: Array(pem.utf8), format: .pem)
        } catch {
            throw RefGateError(.certificateInvalid, "\(what) at \(path) is not a PEM private key: \(error)")
        }
    }

    /// Mutual TLS for the peer listener: client certificates are required (trust roots alone
    /// would not require them), the regional CA is the only anchor, TLS 1.2 is the minimum.
    static func peerTLS(_ configuration: NodeConfiguration) throws -> TLSConfiguration {
        let key = try privateKey(configuration.authKey, what: "auth key")
        do {
            var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
                certificateChain: [
                    .certificate(try NIOSSLCertificate(file: configuration.authCertificate, format: .pem))
                ],
                privateKey: .privateKey(key),
                trustRoots: .certificates([try NIOSSLCertificate(file: configuration.caCertificate, format: .pem)]))
            tls.minimumTLSVersion = .tlsv12
            // TLS 1.2 only with forward-secret AEAD suites for ECDSA keys (no CBC, no RSA); TLS 1.3
            // suites are all AEAD.
            tls.cipherSuites = Self.peerCipherSuites
            // Idle keep-alive clients (libcurl among them) never answer close_notify; don't hold
            // shutdown for NIOSSL's default 5 s waiting for them.
            tls.shutdownTimeout = .seconds(1)
            return tls
        } catch {
            throw RefGateError(.certificateInvalid, "cannot load the auth certificate or CA for TLS: \(error)")
        }
    }
}
