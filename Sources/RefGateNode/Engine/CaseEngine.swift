import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// Applies the procedure, split by job: `intake` (peer messages in), `commands` (people's
/// actions), `deadlines` (what is due when a deadline passes), `deliveries` (what became of
/// each delivery attempt) and `queries` (reads). Every state change commits together with the
/// messages it causes; the rules themselves are in `RefGateCore/Procedure`.
public final class CaseEngine: Sendable {
    /// What the parts share.
    public let context: EngineContext
    /// Peer messages in.
    public let intake: Intake
    /// People's actions.
    public let commands: Commands
    /// Deadlines passing.
    public let deadlines: Deadlines
    /// Delivery outcomes.
    public let deliveries: DeliveryOutcomes
    /// Outcomes of notifications to people.
    public let notifications: NotificationOutcomes
    /// Reads.
    public let queries: Queries
    /// The audit log's tree heads, proofs and checkpoints.
    public let audit: AuditTrail
    /// Retention and subject access: the personal data this node holds.
    public let personalData: PersonalData
    /// Users of the local API and the dashboard, and their credentials.
    public let accounts: Accounts
    /// Alerts to people when work arrives and ends.
    let alerts: Alerts
    /// Employing agencies: records, concerns, their para 9 confirmations and links.
    public let agencies: Agencies
    /// The regional figures this node signs, and at the coordinator the region's picture.
    public let region: RegionalExchange

    /// This node's authority.
    public var authority: AuthorityID { context.authority }
    /// The deadline policy.
    public var policy: Policy { context.policy }

    /// Creates an engine.
    public init(
        authority: AuthorityID, store: Store, directory: DirectoryHolder, signer: MessageSigner, clock: any NodeClock,
        planner: NotificationPlanner, policy: Policy,
        clockSkew: TimeInterval, retention: RetentionRule = .default, metrics: NodeMetrics = NodeMetrics(),
        jobTitles: [String: Seniority] = [:], region: RegionOptions = RegionOptions(), logger: Logger
    ) {
        let context = EngineContext(
            authority: authority, store: store, directory: directory, signer: signer, clock: clock,
            planner: planner, policy: policy,
            clockSkew: clockSkew, retention: retention, metrics: metrics, logger: logger)
        self.context = context
        // Each part gets only what it uses.
        let outbox = Outbox(authority: authority, signer: signer, policy: policy)
        let escalator = Escalator(authority: authority, policy: policy, planner: planner, outbox: outbox)
        let queries = Queries(authority: authority, store: store, directory: directory, clock: clock, policy: policy)
        let alerts = Alerts(planner: planner, policy: policy, templates: region.templates)
        self.alerts = alerts
        self.queries = queries
        self.intake = Intake(
            authority: authority, store: store, directory: directory, signer: signer, clock: clock,
            clockSkew: clockSkew, policy: policy, planner: planner, escalator: escalator, alerts: alerts, logger: logger
        )
        self.commands = Commands(
            authority: authority, store: store, directory: directory, signer: signer, clock: clock, policy: policy,
            outbox: outbox, escalator: escalator, queries: queries, alerts: alerts, logger: logger)
        self.deadlines = Deadlines(
            store: store, clock: clock, policy: policy, planner: planner, escalator: escalator, alerts: alerts,
            logger: logger)
        self.deliveries = DeliveryOutcomes(
            store: store, clock: clock, planner: planner, metrics: metrics, logger: logger)
        self.notifications = NotificationOutcomes(store: store, clock: clock)
        self.audit = AuditTrail(
            authority: authority, store: store, directory: directory, signer: signer, clock: clock,
            retention: retention, outbox: outbox, logger: logger)
        self.personalData = PersonalData(
            authority: authority, store: store, clock: clock, retention: retention, logger: logger)
        self.agencies = Agencies(store: store, clock: clock, planner: planner, options: region, logger: logger)
        self.region = RegionalExchange(
            authority: authority, store: store, directory: directory, clock: clock, outbox: outbox, options: region,
            logger: logger)
        self.accounts = Accounts(
            store: store, clock: clock, planner: planner, signer: signer, jobTitles: JobTitles(jobTitles),
            logger: logger)
    }
}
