import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust
import ServiceLifecycle

/// A node without its files and listeners: the case engine and the services that drain the
/// work it leaves (outbox deliverer, notification deliverer, deadline scheduler, directory
/// watch, audit heads, retention), over a store, a signer, a clock and the two protocol seams
/// (`PeerTransport` for peers, `Mailer` for people). `Node.make` builds one from files and
/// puts its listeners in front; tests build them in process, with peers handing messages to
/// each other's intake (`InProcessPeers`).
public struct NodeEngine: Sendable {
    /// The engine.
    public let engine: CaseEngine
    /// The store.
    public let store: Store
    /// The directory in force.
    public let directory: DirectoryHolder
    /// The deadline scheduler (tests and the demo call `tick()` after moving an injected clock).
    public let scheduler: DeadlineScheduler
    /// Operator alerts about the directory in force.
    public let directoryWatch: DirectoryWatch
    /// The services, in start order (they stop in reverse: deliveries drain first).
    public let services: [any Service]

    /// What the engine is told besides its seams.
    public struct Settings: Sendable {
        /// The configuration (its values only; nothing is read from files here).
        public var configuration: NodeConfiguration
        /// The deadline policy with its calendar.
        public var policy: Policy
        /// The region's options (templates already read).
        public var region: RegionOptions

        /// Creates settings.
        public init(configuration: NodeConfiguration, policy: Policy, region: RegionOptions = RegionOptions()) {
            self.configuration = configuration
            self.policy = policy
            self.region = region
        }
    }

    /// Assembles an engine and its services. `store` must have been opened with
    /// `signals.wake`, so its commits wake the services built here.
    static func make(
        settings: Settings, store: Store, signals: WorkSignals, directory: DirectoryHolder, signer: MessageSigner,
        clock: any NodeClock, transport: any PeerTransport, mailer: (any Mailer)?,
        webhooks: [String: NotificationDeliverer.Webhook] = [:], notify: NotifyClient? = nil,
        teams: [String: CurlHTTPClient] = [:], logger: Logger
    ) -> NodeEngine {
        let configuration = settings.configuration
        let engine = CaseEngine(
            authority: configuration.authority, store: store, directory: directory, signer: signer, clock: clock,
            planner: NotificationPlanner(
                authority: configuration.authority, authorityName: configuration.name,
                settings: configuration.notifications ?? NotificationSettings(),
                people: configuration.people ?? PeopleSettings()),
            policy: settings.policy, clockSkew: configuration.clockSkew, retention: configuration.retentionRule,
            jobTitles: configuration.jobTitles ?? [:], region: settings.region, logger: logger)
        let timing = configuration.deliveryTiming
        let deliverer = OutboxDeliverer(
            authority: configuration.authority, outcomes: engine.deliveries, store: store, exchange: transport,
            directory: directory, clock: clock,
            signal: signals.outbox, timing: timing, logger: logger)
        let notifier = NotificationDeliverer(
            authority: configuration.authority, store: store, outcomes: engine.notifications, clock: clock,
            signal: signals.notifications,
            mailer: mailer, webhooks: webhooks, notify: notify, teams: teams, signInCodes: SignInCodes(signer: signer),
            timing: timing, logger: logger)
        // Several instances on one PostgreSQL database: the periodic work runs on the one that
        // leads (one process on SQLite always does).
        let leadership = Leadership.store(store)
        let scheduler = DeadlineScheduler(
            deadlines: engine.deadlines, store: store, clock: clock, signal: signals.deadlines, batchSize: 200,
            logger: logger, leadership: leadership)
        let directoryWatch = DirectoryWatch(
            directory: directory, store: store, clock: clock, planner: engine.context.planner,
            warning: configuration.directoryWarning, signal: signals.directory, logger: logger,
            leadership: leadership)
        return NodeEngine(
            engine: engine, store: store, directory: directory, scheduler: scheduler, directoryWatch: directoryWatch,
            services: [
                deliverer, ShutdownService { await notifier.shutdownClients() }, notifier, scheduler, directoryWatch,
                AuditService(trail: engine.audit, signal: WakeSignal(), logger: logger, leadership: leadership),
                RetentionService(
                    personalData: engine.personalData, signal: WakeSignal(), logger: logger, leadership: leadership),
                DeadlineAlertService(
                    deadlines: engine.deadlines, queries: engine.queries, signal: WakeSignal(), logger: logger,
                    leadership: leadership),
                RegionalFiguresService(
                    region: engine.region, interval: settings.region.figuresInterval, signal: WakeSignal(),
                    logger: logger, leadership: leadership),
            ])
    }
}
