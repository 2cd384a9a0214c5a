import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import RefGateTrust
import ServiceLifecycle

/// A region on disk for integration tests: Manchester (A) and Salford (B) run nodes; Trafford
/// (C) is in the directory but runs none (its keys let tests impersonate it); an outsider has
/// a certificate from the regional CA but is not in the directory; a foreign CA issues an impostor.
final class TestRegion: Sendable {
    static let manchester = AuthorityID(rawValue: "E08000003")!
    static let salford = AuthorityID(rawValue: "E08000006")!
    static let trafford = AuthorityID(rawValue: "E08000009")!
    static let outsider = AuthorityID(rawValue: "E08000011")!
    static let bolton = AuthorityID(rawValue: "E08000001")!

    let folder: TemporaryFolder
    let configPaths: [AuthorityID: String]
    let clock: ManualClock
    /// Each member's store, when the region runs on PostgreSQL (nil: the SQLite files its
    /// configurations name).
    let databases: [AuthorityID: DatabaseLocation]?

    /// Builds the region with its PKI and directory issued at `start`, where the clock starts.
    init(
        start: Date = Date(), directoryValidity: TimeInterval = 30 * 86_400, withBolton: Bool = false,
        engine: TestEngine = .sqlite
    ) throws {
        folder = try TemporaryFolder("refgate-region")
        clock = ManualClock(start)
        let plan = RegionBuilder(
            region: "North West",
            members: [
                .init(
                    id: Self.manchester, name: "Manchester City Council", peerPort: FreePort.next(),
                    localPort: FreePort.next()),
                .init(
                    id: Self.salford, name: "Salford City Council", peerPort: FreePort.next(),
                    localPort: FreePort.next()),
                .init(
                    id: Self.trafford, name: "Trafford Council", peerPort: FreePort.next(), localPort: FreePort.next()),
            ]
                + (withBolton
                    ? [
                        .init(
                            id: Self.bolton, name: "Bolton Council", peerPort: FreePort.next(),
                            localPort: FreePort.next())
                    ] : []),
            coordinator: Self.manchester)
        configPaths = try plan.build(at: folder.path, now: clock.now(), directoryValidity: directoryValidity)
        let folder = self.folder
        databases =
            engine == .sqlite
            ? nil
            : try Dictionary(uniqueKeysWithValues: configPaths.keys.map { ($0, try engine.location(in: folder)) })
        let ca = try RegionalCA.load(from: folder.file("ca"))
        try AuthorityCredentials.issue(
            by: ca, authority: Self.outsider, name: "Not a member", host: "127.0.0.1", into: folder.file("outsider"),
            now: clock.now())
        let foreign = try RegionalCA.create(region: "Elsewhere", now: clock.now())
        try foreign.save(to: folder.file("foreign-ca"))
        try AuthorityCredentials.issue(
            by: foreign, authority: Self.manchester, name: "Impostor", host: "127.0.0.1", into: folder.file("foreign"),
            now: clock.now())
    }

    /// The folder holding an identity's certificates and keys.
    func identityFolder(_ id: AuthorityID) -> String {
        id == Self.outsider ? folder.file("outsider") : folder.file(id.rawValue)
    }

    /// The regional CA, and the directory the region was built with, verified now: the start
    /// of every test that publishes a next version.
    func currentDirectory() async throws -> (ca: RegionalCA, directory: TrustedDirectory) {
        let ca = try RegionalCA.load(from: folder.file("ca"))
        let compact = try String(contentsOfFile: folder.file("directory.jws"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return (ca, try await TrustedDirectory.verify(compact: compact, anchor: ca.certificate, now: clock.now()))
    }

    func configuration(_ id: AuthorityID) throws -> NodeConfiguration {
        var configuration = try NodeConfiguration.load(path: configPaths[id]!)
        // Quick retries so an outage test does not wait long; the backoff shape is unchanged.
        configuration.delivery = .init(initialBackoffSeconds: 0.05, maxBackoffSeconds: 0.2, probeIntervalSeconds: 0.2)
        if let database = databases?[id] { configuration.database = database }
        return configuration
    }

    func makeNode(_ id: AuthorityID, notifications: NotificationSettings? = nil) async throws -> Node {
        var configuration = try configuration(id)
        configuration.notifications = notifications
        return try await makeNode(configuration: configuration)
    }

    func makeNode(configuration: NodeConfiguration) async throws -> Node {
        let id = configuration.authority
        var logger = Logger(label: "test.\(id)")
        // REFGATE_TEST_LOG=debug shows the nodes' logs when a test needs investigating.
        logger.logLevel =
            ProcessInfo.processInfo.environment["REFGATE_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        return try await Node.make(configuration: configuration, clock: clock, logger: logger)
    }

    func signer(_ id: AuthorityID) throws -> MessageSigner {
        let folder = identityFolder(id)
        return try MessageSigner(
            certificate: try CertificateFile.loadCertificate("\(folder)/sign.pem", what: "sign certificate"),
            key: try CertificateFile.loadPrivateKey("\(folder)/sign.key", what: "sign key"))
    }

    /// A libcurl client presenting `identity`'s auth certificate (or the foreign impostor's).
    func peerClient(as identity: AuthorityID?, foreign: Bool = false) throws -> CurlHTTPClient {
        let folder = foreign ? self.folder.file("foreign") : identityFolder(identity ?? Self.manchester)
        return try CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                tls: .init(
                    caCertificatePath: self.folder.file("ca/ca.pem"), clientCertificatePath: "\(folder)/auth.pem",
                    clientKeyPath: "\(folder)/auth.key")))
    }

    func peerURL(_ id: AuthorityID) throws -> String {
        let configuration = try configuration(id)
        return "https://127.0.0.1:\(configuration.peerListener.port)/peer/v1/messages"
    }

    func adminURL(_ id: AuthorityID) throws -> String {
        "http://127.0.0.1:\(try configuration(id).localListener.port)/api/v1"
    }

    func adminToken(_ id: AuthorityID) throws -> String {
        try AdminToken.load(path: try configuration(id).adminTokenFile)
    }

    static func draft(to: AuthorityID = salford, role: CandidateRole = .teamManager) -> RequestDraft {
        RequestDraft(
            to: to,
            candidate: .init(name: "Alex Morgan", registration: .init(body: "social-work-england", number: "SW104522")),
            role: role, agency: .init(name: "Northern Social Care Recruitment Ltd"),
            reference: .init(
                refereeName: "Priya Shah", refereeStatedRole: "Service Manager", team: "Children in Need East",
                placementStart: "2025-03-03", placementEnd: "2026-08-28", dateGiven: "2026-09-15"),
            requester: .init(
                name: "Jordan Ellis", role: "Recruitment Officer", email: "jordan.ellis@manchester.example"))
    }

    static let verifiedBySeniorManager = ResponseDraft(
        outcome: .verified,
        findings: .init(
            authoredByReferee: true, refereeActualRole: "Service Manager", placementDatesConfirmed: true, concerns: nil),
        responder: .init(name: "Sam Okafor", role: .serviceManager))
}

/// Who ticks the deadline scheduler while nodes run.
enum SchedulerMode {
    /// The node's scheduler service, as in production.
    case service
    /// Only the test, through `scheduler.tick()`: deterministic counts, no race with the service.
    case manual
}

/// Runs nodes (and `extra` services) in one ServiceGroup around `body`, then shuts them down
/// gracefully.
func withRunning<T: Sendable>(
    _ nodes: [Node], scheduler: SchedulerMode = .service, extra: [any Service] = [], _ body: () async throws -> T
) async throws -> T {
    let services =
        nodes.flatMap(\.services).filter { scheduler == .service || !($0 is DeadlineScheduler) } + extra
    return try await withServices(services) {
        for node in nodes { _ = try await (node.peerPort.value(), node.localPort.value()) }
        return try await body()
    }
}

/// Runs `services` in one ServiceGroup around `body`, then shuts them down gracefully (also
/// when `body` throws).
func withServices<T: Sendable>(_ services: [any Service], _ body: () async throws -> T) async throws -> T {
    var logger = Logger(label: "test.group")
    logger.logLevel = .critical
    let group = ServiceGroup(configuration: .init(services: services, logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let result: T
        do {
            result = try await body()
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

/// Polls until `condition` holds while the injected clock moves on by `step` each poll, so
/// retries and probes scheduled on that clock fall due (a minute of node time per second).
func eventually(
    _ what: String, advancing clock: ManualClock, step: TimeInterval = 1, timeout: Duration = .seconds(20),
    _ condition: () async throws -> Bool
) async throws {
    try await eventually(what, timeout: timeout) {
        if try await condition() { return true }
        clock.advance(by: step)
        return false
    }
}

/// Polls until `condition` holds: for real network delivery, never for a deadline.
func eventually(
    _ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw RefGateError(.internalError, "timed out waiting for \(what)")
}

extension Node {
    func outbox(_ messageID: String) async throws -> OutboxEntry? {
        try await store.read { try $0.outboxEntry(messageID: messageID) }
    }
}
