import Foundation
import RefGateCore
import ServiceLifecycle
import Synchronization

/// The loop every deliverer runs: a pipeline that keeps up to `capacity` items in flight,
/// starting the next due item as soon as one finishes, so a slow item (a peer that takes 30 s
/// to time out) holds up nothing else. When nothing is due it sleeps until signalled (new work
/// was written, an item finished) or until the earliest retry falls due.
///
/// Items due together that share a `batchKey` (messages to one peer) are handed over together,
/// up to `maxBatch` at a time, so their reads, exchange and writes happen once per batch.
///
/// On graceful shutdown it stops starting items, gives those in flight `shutdownGrace` to
/// finish, then cancels them: a cancelled item records nothing and stays pending.
struct DeliveryLoop<Item: Sendable>: Sendable {
    let clock: any NodeClock
    let signal: WakeSignal
    /// Items in flight at most.
    var capacity = 64
    var shutdownGrace: Duration = .seconds(5)
    /// An item's identity, so one in flight is never started twice.
    let id: @Sendable (Item) -> String
    /// Items due, for at most `room` new ones: a store that does not claim what it returns may
    /// return the `inFlight` items again, so it reads `room + inFlight`; one that claims (several
    /// instances on PostgreSQL) must claim no more than `room`, since the loop starts no more
    /// and a claimed item it drops would wait for its lease to lapse.
    let due: @Sendable (_ now: Date, _ room: Int, _ inFlight: Int) async throws -> [Item]
    let nextDue: @Sendable () async throws -> Date?
    /// Items with the same key may be handled together; nil handles an item alone.
    var batchKey: @Sendable (Item) -> String? = { _ in nil }
    /// Items in one batch at most.
    var maxBatch = 1
    /// Handles a batch of items (one item, unless `batchKey` groups them).
    let handle: @Sendable ([Item]) async -> Void

    func run() async throws {
        let inFlight = InFlight()
        try await withThrowingDiscardingTaskGroup { group in
            try await withGracefulShutdownHandler {
                while !Task.isShuttingDownGracefully, !Task.isCancelled {
                    let busy = inFlight.keys.withLock { $0 }
                    var started = 0
                    // Refill in batches (a quarter of the pipeline at a time): asking the store
                    // after every single completion would re-read the items still in flight.
                    if busy.count <= capacity - max(1, capacity / 4) {
                        let room = capacity - busy.count
                        var startable: [Item] = []
                        for item in try await due(clock.now(), room, busy.count)
                        where startable.count < room && !busy.contains(id(item)) {
                            startable.append(item)
                        }
                        for batch in batches(startable) {
                            let keys = batch.map(id)
                            inFlight.keys.withLock { $0.formUnion(keys) }
                            started += batch.count
                            group.addTask {
                                await handle(batch)
                                inFlight.keys.withLock { $0.subtract(keys) }
                                signal.signal()
                            }
                        }
                    }
                    if started > 0 { continue }
                    await signal.wait(timeout: try await idleWait(busy: !busy.isEmpty))
                }
            } onGracefulShutdown: {
                signal.signal()
            }
            let deadline = ContinuousClock.now + shutdownGrace
            while !inFlight.keys.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
                await signal.wait(timeout: .milliseconds(50))
            }
            group.cancelAll()
        }
    }

    /// The items grouped by `batchKey`, each group in due order and at most `maxBatch` long;
    /// groups in the order of their first item.
    private func batches(_ items: [Item]) -> [[Item]] {
        var batches: [[Item]] = []
        var open: [String: Int] = [:]
        for item in items {
            guard let key = batchKey(item) else {
                batches.append([item])
                continue
            }
            if let index = open[key], batches[index].count < maxBatch {
                batches[index].append(item)
            } else {
                open[key] = batches.count
                batches.append([item])
            }
        }
        return batches
    }

    // Until the earliest retry, re-checked at least every second so an injected clock that
    // jumps is noticed. While items are in flight their completion signals, so wait for that
    // (or a second) without asking the store: their own retry times look due, and on a long
    // queue the earliest-retry query reads every pending item.
    private func idleWait(busy: Bool) async throws -> Duration {
        if busy { return .seconds(1) }
        guard let next = try await nextDue() else { return .seconds(60) }
        let seconds = next.timeIntervalSince(clock.now())
        return .milliseconds(Int(min(1.0, max(0.01, seconds)) * 1000))
    }
}

/// The keys of the items a loop has in flight, shared with the tasks that handle them.
private final class InFlight: Sendable {
    let keys = Mutex<Set<String>>([])
}

/// Stops something at graceful shutdown (a libcurl client or mailer). Listed just before the
/// deliverer that uses it, so it stops right after that deliverer drains.
struct ShutdownService: Service {
    let shutdown: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
