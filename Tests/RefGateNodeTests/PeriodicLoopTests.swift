import Foundation
import Logging
import RefGateCore
import Synchronization
import Testing

@testable import RefGateNode

/// The one loop of the periodic services: a failing round is logged and tried again after a
/// backoff, and the service keeps running; the loop ends on cancellation and runs its
/// shutdown work.
@Suite(.timeLimit(.minutes(1))) struct PeriodicLoopTests {
    @Test func aFailingRoundIsRetriedAndTheServiceKeepsRunning() async throws {
        let rounds = Mutex(0)
        let finished = Mutex(false)
        var loop = PeriodicLoop(name: "test", signal: WakeSignal(), logger: Logger(label: "test"))
        loop.maxBackoff = .milliseconds(5)
        let task = Task { [loop] in
            await loop.run(
                round: {
                    let round = rounds.withLock { count -> Int in
                        count += 1
                        return count
                    }
                    if round <= 2 { throw RefGateError(.storageFailed, "disk full, round \(round)") }
                    return .milliseconds(5)
                },
                atShutdown: { finished.withLock { $0 = true } })
        }
        try await eventually("two failures, then rounds go on") { rounds.withLock { $0 } >= 5 }
        task.cancel()
        await task.value
        #expect(finished.withLock { $0 }, "the shutdown work ran")
    }

    @Test func backoffDoublesUpToItsCap() {
        #expect(
            (1...6).map { PeriodicLoop.backoff(afterFailures: $0, cap: .seconds(10)) }
                == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
        #expect(PeriodicLoop.backoff(afterFailures: 200, cap: .seconds(300)) == .seconds(300))
    }
}
