import Dispatch
import Foundation
import GRDB
import Synchronization

/// Group commit: writes that arrive while a transaction is being made durable wait, and then
/// all of them go into the next transaction, each in its own savepoint. One `fsync` then
/// serves many writes, and nobody is answered before the commit that holds their write.
///
/// Semantics per write are unchanged: a body that throws is rolled back to its savepoint and
/// its caller gets the error, the others commit; bodies of one transaction run one after
/// another, so each sees the writes before it (a message arriving twice in one group is applied
/// once). If the commit itself fails, every write of the group fails and none is kept.
///
/// On PostgreSQL, where a savepoint is two statements more for each write, a group first runs
/// without them: if every write succeeds, it commits as it is; if any fails, the transaction
/// rolls back and the group runs again with a savepoint for each write, so each still gets its
/// own outcome. A write's body may therefore run twice; bodies already may (a write that loses
/// a race runs again), so they only read and write through the transaction.
///
/// On SQLite there is one writer (one lane). On PostgreSQL several lanes each run group
/// transactions of their own on their own connection, at the same time: a PostgreSQL write
/// mostly waits for round trips, and one lane left the server idle. Writes in different lanes
/// meet as other instances' writes do, in the database: a write that loses a race there (a
/// unique key another lane's commit took first, a serialization failure, a deadlock) is run
/// again in a later transaction, where it sees the winner's commit, up to three times.
final class GroupCommit: Sendable {
    /// What a write's body gets: its session and its lane's view of the transaction.
    struct Context {
        /// The transaction's session.
        let db: SQLSession
        /// The audit chain as this transaction sees it.
        let chain: AuditChainTip
        /// The work queues this transaction touches.
        let work: WorkLedger
    }

    /// One write waiting for a transaction.
    private struct Job: Sendable {
        let body: @Sendable (Context) throws -> any Sendable
        let complete: @Sendable (Result<any Sendable, any Error>) -> Void
        var attempts = 0
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    /// One writer: its queue of writes, its serial thread and its view of the transaction.
    private final class Lane: Sendable {
        let state = Mutex(State())
        // A serial queue, not the caller's thread: it blocks on the database and fsync.
        let queue: DispatchQueue
        let chain: AuditChainTip
        let work = WorkLedger()

        init(index: Int, deferringAudit: Bool) {
            queue = DispatchQueue(label: "refgate.store.group-commit.\(index)")
            chain = AuditChainTip(deferring: deferringAudit)
        }

        /// Writes queued or running here (to pick the least busy lane).
        var load: Int { state.withLock { $0.pending.count + ($0.draining ? 1 : 0) } }
    }

    /// Runs its argument in one durable write transaction on the store's engine.
    private let transact: @Sendable (_ body: (SQLSession) throws -> Void) throws -> Void
    private let lanes: [Lane]
    private let wake: @Sendable (Set<WorkQueue>) -> Void
    /// Whether a write that lost a race to another transaction is run again (PostgreSQL).
    private let isRetryable: @Sendable (any Error) -> Bool
    /// Most writes in one transaction (bounds the time the first of them waits).
    let maxGroup: Int
    /// Most runs of one write that keeps losing races.
    static let maxAttempts = 3
    /// Whether a group first runs without a savepoint for each write.
    private let optimistic: Bool

    /// A write of a group run without savepoints failed: the group runs again with them.
    private struct GroupFailed: Error {}

    init(
        transact: @escaping @Sendable (_ body: (SQLSession) throws -> Void) throws -> Void, lanes: Int = 1,
        maxGroup: Int = 256, deferringAudit: Bool = false, optimistic: Bool = false,
        isRetryable: @escaping @Sendable (any Error) -> Bool = { _ in false },
        wake: @escaping @Sendable (Set<WorkQueue>) -> Void = { _ in }
    ) {
        self.transact = transact
        self.optimistic = optimistic
        self.lanes = (0..<max(1, lanes)).map { Lane(index: $0, deferringAudit: deferringAudit) }
        self.isRetryable = isRetryable
        self.wake = wake
        self.maxGroup = maxGroup
    }

    /// Runs `body` in the next group transaction and returns its result once that commits.
    func write<T: Sendable>(_ body: @escaping @Sendable (Context) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                body: { context in try body(context) },
                complete: { result in
                    continuation.resume(
                        with: result.flatMap { value in
                            // The job was made from a `T`-returning body above.
                            .success(value as! T)
                        })
                })
            submit(job, to: lanes.count == 1 ? lanes[0] : lanes.min { $0.load < $1.load }!)
        }
    }

    private func submit(_ job: Job, to lane: Lane) {
        let start = lane.state.withLock { state -> Bool in
            state.pending.append(job)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if start { lane.queue.async { self.drain(lane) } }
    }

    private func drain(_ lane: Lane) {
        while true {
            let jobs = lane.state.withLock { state -> [Job] in
                let jobs = Array(state.pending.prefix(maxGroup))
                state.pending.removeFirst(jobs.count)
                if jobs.isEmpty { state.draining = false }
                return jobs
            }
            guard !jobs.isEmpty else { return }
            var results: [Result<any Sendable, any Error>] = []
            var touched: Set<WorkQueue> = []
            for savepoints in optimistic && jobs.count > 1 ? [false, true] : [true] {
                do {
                    (results, touched) = try run(jobs, savepoints: savepoints, on: lane)
                    break
                } catch is GroupFailed {
                    continue
                } catch {
                    results = Array(repeating: .failure(error), count: jobs.count)
                    touched = []
                    break
                }
            }
            // Before the writers are answered, so whatever they do next finds the services awake.
            if !touched.isEmpty { wake(touched) }
            var again: [Job] = []
            for (job, result) in zip(jobs, results) {
                if case .failure(let error) = result, job.attempts + 1 < Self.maxAttempts, isRetryable(error) {
                    var retry = job
                    retry.attempts += 1
                    again.append(retry)
                } else {
                    job.complete(result)
                }
            }
            if !again.isEmpty { lane.state.withLock { $0.pending.insert(contentsOf: again, at: 0) } }
        }
    }

    /// Runs `jobs` in one transaction, each in a savepoint of its own if `savepoints`, and
    /// returns each one's result and the work queues the transaction touched. Without
    /// savepoints, any failure throws `GroupFailed` (and the transaction rolls back); a failure
    /// of the transaction itself is thrown.
    private func run(_ jobs: [Job], savepoints: Bool, on lane: Lane) throws -> (
        results: [Result<any Sendable, any Error>], touched: Set<WorkQueue>
    ) {
        let (chain, work) = (lane.chain, lane.work)
        var answers: [Result<any Sendable, any Error>] = []
        var touchedHere: Set<WorkQueue> = []
        try transact { db in
            chain.begin()
            _ = work.take()
            answers = []
            answers.reserveCapacity(jobs.count)
            defer { touchedHere = work.take() }
            let context = Context(db: db, chain: chain, work: work)
            if jobs.count == 1 {
                // A write alone needs no savepoint (two statements more on PostgreSQL):
                // if it fails, the transaction rolls back, and the caller answers it.
                answers = [.success(try jobs[0].body(context))]
                try StoreTransaction.appendDeferredAudit(db, chain: chain)
                return
            }
            if !savepoints {
                do {
                    for job in jobs { answers.append(.success(try job.body(context))) }
                    try db.settle()
                } catch {
                    throw GroupFailed()
                }
                try StoreTransaction.appendDeferredAudit(db, chain: chain)
                return
            }
            for job in jobs {
                var value: (any Sendable)?
                let touchedBefore = work.snapshot()
                let mark = chain.mark()
                do {
                    try db.inSavepoint {
                        value = try job.body(context)
                        return .commit
                    }
                    answers.append(.success(value!))
                } catch {
                    chain.rollback(to: mark)
                    // Its writes are gone, and so is the work they gave.
                    work.restore(touchedBefore)
                    answers.append(.failure(error))
                }
            }
            try StoreTransaction.appendDeferredAudit(db, chain: chain)
        }
        return (answers, touchedHere)
    }
}
