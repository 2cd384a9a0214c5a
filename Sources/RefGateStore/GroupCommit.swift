import Dispatch
import Foundation
import GRDB
import Synchronization

/// Group commit: writes that arrive while a transaction is being made durable wait, and then
/// all of them go into the next transaction, each in its own savepoint. One `fsync` then
/// serves many writes, and nobody is answered before the commit that holds their write.
///
/// Semantics per write are unchanged: a body that throws is rolled back to its savepoint and
/// its caller gets the error, the others commit; bodies run one after another, so each sees
/// the writes before it (a message arriving twice in one group is applied once). If the
/// commit itself fails, every write of the group fails and none is kept.
final class GroupCommit: Sendable {
    /// One write waiting for a transaction.
    private struct Job: Sendable {
        let body: @Sendable (SQLSession) throws -> any Sendable
        let complete: @Sendable (Result<any Sendable, any Error>) -> Void
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    /// Runs its argument in one durable write transaction on the store's engine.
    private let transact: @Sendable (_ body: (SQLSession) throws -> Void) throws -> Void
    /// What the transaction being written touched, and who is told after its commit.
    private let work: WorkLedger
    private let wake: @Sendable (Set<WorkQueue>) -> Void
    /// Clears what the writer remembers of the database (the audit chain's tip) when a
    /// transaction begins or a savepoint rolls back.
    private let reset: @Sendable () -> Void
    private let state = Mutex(State())
    // A serial queue, not the caller's thread: it blocks on the database and fsync.
    private let queue = DispatchQueue(label: "refgate.store.group-commit")
    /// Most writes in one transaction (bounds the time the first of them waits).
    let maxGroup: Int

    init(
        transact: @escaping @Sendable (_ body: (SQLSession) throws -> Void) throws -> Void, maxGroup: Int = 256,
        work: WorkLedger = WorkLedger(),
        wake: @escaping @Sendable (Set<WorkQueue>) -> Void = { _ in }, reset: @escaping @Sendable () -> Void
    ) {
        self.transact = transact
        self.work = work
        self.wake = wake
        self.reset = reset
        self.maxGroup = maxGroup
    }

    /// Runs `body` in the next group transaction and returns its result once that commits.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                body: { db in try body(db) },
                complete: { result in
                    continuation.resume(
                        with: result.flatMap { value in
                            // The job was made from a `T`-returning body above.
                            .success(value as! T)
                        })
                })
            let start = state.withLock { state -> Bool in
                state.pending.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let jobs = state.withLock { state -> [Job] in
                let jobs = Array(state.pending.prefix(maxGroup))
                state.pending.removeFirst(jobs.count)
                if jobs.isEmpty { state.draining = false }
                return jobs
            }
            guard !jobs.isEmpty else { return }
            var results: [Result<any Sendable, any Error>] = []
            results.reserveCapacity(jobs.count)
            var touched: Set<WorkQueue> = []
            do {
                try transact { db in
                    reset()
                    _ = work.take()
                    results = []
                    defer { touched = work.take() }
                    for job in jobs {
                        var value: (any Sendable)?
                        let touchedBefore = work.snapshot()
                        do {
                            try db.inSavepoint {
                                value = try job.body(db)
                                return .commit
                            }
                            results.append(.success(value!))
                        } catch {
                            reset()
                            // Its writes are gone, and so is the work they gave.
                            work.restore(touchedBefore)
                            results.append(.failure(error))
                        }
                    }
                }
            } catch {
                results = Array(repeating: .failure(error), count: jobs.count)
                touched = []
            }
            // Before the writers are answered, so whatever they do next finds the services awake.
            if !touched.isEmpty { wake(touched) }
            for (job, result) in zip(jobs, results) { job.complete(result) }
        }
    }
}
