import Foundation
import RefGateCore
import ServiceLifecycle

/// The loop every deliverer runs: take what is due, handle it concurrently, then sleep until
/// signalled or until the earliest retry falls due. On graceful shutdown it lets the batch in
/// flight finish (within a grace) and returns.
struct DeliveryLoop<Item: Sendable>: Sendable {
    let clock: any NodeClock
    let signal: WakeSignal
    /// On graceful shutdown, the batch in flight gets this long; then it is cancelled (its
    /// items are left as they were, to be tried again at the next start).
    var shutdownGrace: Duration = .seconds(5)
    let due: @Sendable (Date) async throws -> [Item]
    let nextDue: @Sendable () async throws -> Date?
    let handle: @Sendable (Item) async -> Void

    func run() async throws {
        try await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                let items = try await due(clock.now())
                if items.isEmpty {
                    await signal.wait(timeout: try await idleWait())
                    continue
                }
                await handleBatch(items)
            }
        } onGracefulShutdown: {
            signal.signal()
        }
    }

    /// Handles a batch concurrently; a shutdown that begins meanwhile cancels what is still
    /// running after `shutdownGrace`, so stopping never waits for a slow peer's timeout.
    private func handleBatch(_ items: [Item]) async {
        await withTaskGroup(of: Bool.self) { group in
            for item in items {
                group.addTask {
                    await handle(item)
                    return true
                }
            }
            group.addTask { [shutdownGrace] in
                // Returns normally only when a graceful shutdown begins; throws when cancelled.
                guard (try? await gracefulShutdown()) != nil else { return false }
                try? await Task.sleep(for: shutdownGrace)
                return false
            }
            var remaining = items.count
            while remaining > 0, let finished = await group.next() {
                if finished {
                    remaining -= 1
                } else if !Task.isCancelled {
                    break  // the grace is over
                }
            }
            group.cancelAll()
        }
    }

    // Until the earliest retry, re-checked at least every second so an injected clock that
    // jumps is noticed; when nothing is pending, until signalled.
    private func idleWait() async throws -> Duration {
        guard let next = try await nextDue() else { return .seconds(60) }
        let seconds = min(1.0, max(0.01, next.timeIntervalSince(clock.now())))
        return .milliseconds(Int(seconds * 1000))
    }
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
