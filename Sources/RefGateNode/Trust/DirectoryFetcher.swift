import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust
import ServiceLifecycle
import Synchronization

/// Fetches the signed directory from where the coordinator publishes it (`directorySources`),
/// every `directoryPollMinutes` and at once when a peer says it holds a newer version, and
/// installs a newer valid one on its own (the checks of `refgate directory install`). Operators
/// are told, once, when no source has answered for `directoryFetchAlertHours`.
public final class DirectoryFetcher: Service, Sendable {
    let sources: [DirectorySource]
    let installer: DirectoryInstaller
    let holder: DirectoryHolder
    let store: Store
    let planner: NotificationPlanner
    let clock: any NodeClock
    let interval: Duration
    let alertAfter: TimeInterval
    /// Wakes a poll at once (a peer's newer version) and at shutdown.
    let signal = WakeSignal()
    let logger: Logger
    /// Rounds run only while this instance leads the periodic work.
    var leadership: Leadership { .store(store) }
    private let clients: [String?: CurlHTTPClient]
    private let state: Mutex<(lastSuccess: Date, alerted: Bool)>

    /// Creates the fetcher; `clientTLS` is the node's auth pair, presented to every source.
    init(
        sources: [DirectorySource], installer: DirectoryInstaller, holder: DirectoryHolder, store: Store,
        planner: NotificationPlanner, clock: any NodeClock, pollMinutes: Double, alertHours: Double,
        clientCertificate: String, clientKey: String, logger: Logger
    ) throws {
        self.sources = sources
        self.installer = installer
        self.holder = holder
        self.store = store
        self.planner = planner
        self.clock = clock
        self.interval = .seconds(pollMinutes * 60)
        self.alertAfter = alertHours * 3600
        self.logger = logger
        var clients: [String?: CurlHTTPClient] = [:]
        for ca in Set(sources.map(\.caCertificate)) {
            clients[ca] = try CurlHTTPClient(
                configuration: HTTPClientConfiguration(
                    tls: .init(
                        caCertificatePath: ca, clientCertificatePath: clientCertificate, clientKeyPath: clientKey),
                    connectTimeout: .seconds(10), totalTimeout: .seconds(30), maxResponseBytes: 4 << 20),
                logger: logger)
        }
        self.clients = clients
        self.state = Mutex((clock.now(), false))
    }

    /// Polls until graceful shutdown, then closes its connections.
    public func run() async throws {
        await PeriodicLoop(name: "directory fetch", signal: signal, logger: logger, leadership: leadership).run(
            round: { [self] in
                _ = try await poll()
                return interval
            },
            atShutdown: { [clients] in for client in clients.values { await client.shutdown() } })
    }

    /// A peer holds directory `version`: if it is newer than ours, fetch at once.
    public func peerHolds(version: Int) async {
        if version > (await holder.current.directory.version) { signal.signal() }
    }

    /// Asks each source in turn; installs the first version newer than the one in force.
    /// Returns the version installed, or nil. Throws (for the loop's backoff) when no source
    /// answered, after telling operators if that has lasted `alertAfter`.
    @discardableResult
    public func poll() async throws -> Int? {
        var lastError = "no source is configured"
        for source in sources {
            do {
                guard let client = clients[source.caCertificate] else { continue }
                let response = try await client.sendExpectingSuccess(
                    url: source.url, headerFields: [.accept: "application/jose, text/plain, */*"])
                let compact = String(decoding: response.body, as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let offered = try JWS(compact: compact)
                let version = try JSONDecoder().decode(VersionOnly.self, from: offered.payload).version
                var installed: Int?
                if version > (await holder.current.directory.version) {
                    installed = try await installer.install(compact: compact)
                }
                state.withLock { $0 = (clock.now(), false) }
                return installed
            } catch {
                lastError = "\(source.url): \(error)"
                logger.warning("directory fetch failed", metadata: ["source": "\(source.url)", "error": "\(error)"])
            }
        }
        try await alertIfLong(lastError)
        throw RefGateError(.directoryInvalid, "no directory source answered with a valid directory: \(lastError)")
    }

    private func alertIfLong(_ error: String) async throws {
        let now = clock.now()
        let since: Date? = state.withLock { state in
            guard !state.alerted, now.timeIntervalSince(state.lastSuccess) >= alertAfter else { return nil }
            state.alerted = true
            return state.lastSuccess
        }
        guard let since else { return }
        let notifications = planner.directoryUnfetchable(since: since, error: error, now: now)
        try await store.write { tx in for notification in notifications { try tx.enqueue(notification) } }
    }

    private struct VersionOnly: Decodable { var version: Int }
}
