import Foundation
import Logging
import ServiceLifecycle

/// The loop every periodic service runs (deadlines, directory watch, audit heads, retention),
/// with one error policy: a round that fails is logged and tried again after a backoff that
/// doubles from 1 s up to `maxBackoff`, and the node stays up. None of their failures is one
/// that waiting cannot heal (the store's, a peer's, the mail server's), so none stops the node.
/// A signal wakes the loop early; graceful shutdown ends it after the round in progress.
struct PeriodicLoop: Sendable {
    /// What the service is, for the log.
    let name: String
    let signal: WakeSignal
    let logger: Logger
    /// Longest wait after failures in a row.
    var maxBackoff: Duration = .seconds(300)
    /// Rounds run only while this instance leads (several instances on one PostgreSQL).
    var leadership: Leadership = .always

    /// Waits `first` (none: starts at once), then runs `round` until graceful shutdown, waiting
    /// after each round as long as it returns (or until signalled); then runs `atShutdown`.
    func run(
        first: Duration? = nil, round: @escaping @Sendable () async throws -> Duration,
        atShutdown: @escaping @Sendable () async -> Void = {}
    ) async {
        await withGracefulShutdownHandler {
            if let first { await signal.wait(timeout: first) }
            var failures = 0
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                guard await leadership.holds() else {
                    await signal.wait(timeout: Leadership.poll)
                    continue
                }
                let wait: Duration
                do {
                    wait = try await round()
                    failures = 0
                } catch {
                    failures += 1
                    wait = Self.backoff(afterFailures: failures, cap: maxBackoff)
                    logger.error(
                        "\(name) failed; trying again",
                        metadata: ["error": "\(error)", "failures": "\(failures)", "retry_in": "\(wait)"])
                }
                guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
                if wait > .zero { await signal.wait(timeout: wait) }
            }
            await atShutdown()
        } onGracefulShutdown: {
            signal.signal()
        }
    }

    /// 1 s, 2 s, 4 s … after 1, 2, 3 … failures in a row, at most `cap`.
    static func backoff(afterFailures failures: Int, cap: Duration) -> Duration {
        min(cap, .seconds(1 << min(max(failures - 1, 0), 20)))
    }
}
