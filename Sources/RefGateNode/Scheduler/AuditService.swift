import Foundation
import Logging
import ServiceLifecycle

/// Signs a tree head over the audit log and hands it to peers as checkpoints, an hour after
/// start and hourly after that, and signs one more head at graceful shutdown so the last
/// hour's entries are covered. (`refgate audit head` makes one on demand.)
public struct AuditService: Service {
    let trail: AuditTrail
    /// Woken to make a head now, and at shutdown.
    let signal: WakeSignal
    let logger: Logger
    /// Rounds run only while this instance leads the periodic work.
    var leadership: Leadership = .always

    /// Runs until graceful shutdown.
    public func run() async throws {
        await PeriodicLoop(name: "audit tree head", signal: signal, logger: logger, leadership: leadership).run(
            first: .seconds(AuditTrail.interval),
            round: { [trail] in
                try await trail.tick()
                return .seconds(AuditTrail.interval)
            },
            atShutdown: { [trail] in _ = try? await trail.makeHead() })
    }
}
