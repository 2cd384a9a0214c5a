import Synchronization

/// A queue of work that a committed transaction may have given the node: the store tells the
/// node which ones each commit touched, so the services that drain them wake at once and no
/// caller has to remember to wake them.
public enum WorkQueue: Sendable, Hashable, CaseIterable {
    /// Outgoing peer messages became due (queued, released from a failing peer, sent again).
    case outbox
    /// Notifications to people were queued.
    case notifications
    /// A case's next deadline was written.
    case deadlines
    /// A directory version was installed (its alerts are due a look).
    case directory
}

/// Cases whose deadline ladder a write changed; their `next_due` is recomputed once each,
/// at the end of the write, however many changes they had. Used by one write at a time.
final class ChangedCases {
    var ids: Set<String> = []
    /// Cases this write inserted, by id, with the message their request is and when it was
    /// signed: their `next_due` was written with them.
    var inserted: [String: (requestMessageID: String, requestedAt: Int64?)] = [:]

    /// Whether this write inserted `caseID` with `request` as its request, signed at `sentAt`.
    func insertedHolding(caseID: String, request: String, sentAt: Int64) -> Bool {
        guard let held = inserted[caseID] else { return false }
        return held.requestMessageID == request && held.requestedAt == sentAt
    }
}

/// The queues touched by the transaction being written. Only the writer touches it (one
/// transaction at a time), but the store is `Sendable`, hence the lock.
final class WorkLedger: Sendable {
    private let touched = Mutex<Set<WorkQueue>>([])

    /// Notes that the transaction being written touched `queue`.
    func touch(_ queue: WorkQueue) { _ = touched.withLock { $0.insert(queue) } }

    /// What is touched so far (to restore if a savepoint rolls back).
    func snapshot() -> Set<WorkQueue> { touched.withLock { $0 } }

    /// Forgets what was touched after `snapshot` (its writes were rolled back).
    func restore(_ snapshot: Set<WorkQueue>) { touched.withLock { $0 = snapshot } }

    /// What was touched since the last call, forgotten.
    func take() -> Set<WorkQueue> {
        touched.withLock { touched in
            defer { touched = [] }
            return touched
        }
    }
}
