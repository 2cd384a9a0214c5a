import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// What the engine is assembled from: who this node is, where state lives, who signs, what time
/// it is, the policy. `CaseEngine` hands each part only the pieces it uses. (The services that
/// drain the work a commit leaves are woken by the store itself: `WorkSignals`.)
public struct EngineContext: Sendable {
    /// This node's authority.
    public let authority: AuthorityID
    let store: Store
    let directory: DirectoryHolder
    let signer: MessageSigner
    let clock: any NodeClock
    let planner: NotificationPlanner
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
