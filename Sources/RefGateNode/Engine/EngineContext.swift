import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// What every part of the engine shares: who this node is, where state lives, who signs, what
/// time it is, and the policy. (The services that drain the work a commit leaves are woken by
/// the store itself: `WorkSignals`.)
public struct EngineContext: Sendable {
    /// This node's authority.
    public let authority: AuthorityID
    let store: Store
    let directory: DirectoryHolder
    let signer: MessageSigner
    let clock: any NodeClock
    let planner: NotificationPlanner
    /// Prepares and queues every outgoing message.
    let outbox: Outbox
    /// The deadline policy.
    public let policy: Policy
    /// How far ahead of this node's clock a peer's `sentAt` may be.
    let clockSkew: TimeInterval
    /// How long closed cases' personal data is kept.
    public let retention: RetentionRule
    /// Prometheus metrics recorded as things happen.
    public let metrics: NodeMetrics
    let logger: Logger
}

/// A part of the engine with one job. Its members reach the shared context by the names the
/// procedure code uses (`store`, `clock`, `policy` …), and share the outgoing path
/// (`Outbox`) and escalation (`EngineJob+Escalate`).
protocol EngineJob: Sendable {
    /// The shared context.
    var context: EngineContext { get }
}

extension EngineJob {
    var authority: AuthorityID { context.authority }
    var store: Store { context.store }
    var directory: DirectoryHolder { context.directory }
    var signer: MessageSigner { context.signer }
    var clock: any NodeClock { context.clock }
    var planner: NotificationPlanner { context.planner }
    var outbox: Outbox { context.outbox }
    var policy: Policy { context.policy }
    var clockSkew: TimeInterval { context.clockSkew }
    var logger: Logger { context.logger }
}
