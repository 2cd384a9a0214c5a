import Foundation
import RefGateCore
import ServiceLifecycle

/// The loop every deliverer runs: take what is due, handle it concurrently, then sleep until
/// signalled or until the earliest retry falls due. On graceful shutdown it finishes the batch
/// in flight and returns.
struct DeliveryLoop<Item: Sendable>: Sendable {
    let clock: any NodeClock
    let signal: WakeSignal
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
                await withTaskGroup(of: Void.self) { group in
                    for item in items { group.addTask { await handle(item) } }
                }
            }
        } onGracefulShutdown: {
            signal.signal()
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

/// Exponential backoff with jitter: between half and all of `initial × 2^attempts`, capped.
struct Backoff: Sendable {
    let initial: TimeInterval
    let maximum: TimeInterval

    func delay(afterAttempts attempts: Int) -> TimeInterval {
        min(maximum, initial * pow(2, Double(min(attempts, 30)))) * Double.random(in: 0.5...1.0)
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
