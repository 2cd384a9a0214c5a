import Foundation
import Logging
import RefGateCore
import RefGateStore
import ServiceLifecycle

/// Acts on deadlines: sleeps until the earliest case's `next_due` (one indexed lookup, so the
/// cost of waiting does not grow with the number of open cases), wakes early when the engine
/// writes a nearer one, and processes what is due in batches, one transaction per case.
public struct DeadlineScheduler: Service {
    let deadlines: Deadlines
    let store: Store
    let clock: any NodeClock
    let signal: WakeSignal
    let batchSize: Int
    let logger: Logger
    /// Rounds run only while this instance leads the periodic work.
    var leadership: Leadership = .always

    /// Runs until graceful shutdown.
    public func run() async throws {
        await PeriodicLoop(name: "deadline processing", signal: signal, logger: logger, leadership: leadership).run(
            round: {
                try await tick() == 0 ? try await idleWait() : .zero
            })
    }

    /// Processes every case due now and returns how many it handled. Tests and the demo call it
    /// after moving an injected clock.
    @discardableResult
    public func tick() async throws -> Int {
        var handled = Set<String>()
        while true {
            let due = try await store.read { [clock, batchSize] in try $0.dueCaseIDs(now: clock.now(), limit: batchSize)
            }
            let fresh = due.filter { !handled.contains($0) }
            // A case that stays due after being handled failed; it waits for the next wake.
            if fresh.isEmpty { return handled.count }
            for caseID in fresh {
                handled.insert(caseID)
                do {
                    _ = try await deadlines.processDeadline(caseID: caseID)
                } catch {
                    logger.error("deadline processing failed", metadata: ["case": "\(caseID)", "error": "\(error)"])
                }
            }
            if due.count < batchSize { return handled.count }
        }
    }

    // Until the earliest deadline, re-checked at least every minute so a clock that jumps
    // (or an injected one) is noticed; until signalled when nothing is pending.
    private func idleWait() async throws -> Duration {
        guard let next = try await store.read({ try $0.nextCaseDue() }) else { return .seconds(3600) }
        let seconds = min(60, max(0.01, next.timeIntervalSince(clock.now())))
        return .milliseconds(Int(seconds * 1000))
    }
}
