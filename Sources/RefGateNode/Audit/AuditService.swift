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

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                await signal.wait(timeout: .seconds(AuditTrail.interval))
                guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
                do {
                    try await trail.tick()
                } catch {
                    logger.error("audit tree head failed", metadata: ["error": "\(error)"])
                }
            }
            try? await trail.makeHead()
        } onGracefulShutdown: {
            signal.signal()
        }
    }
}
