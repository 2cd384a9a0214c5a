import Foundation
import Logging
import ServiceLifecycle

/// Runs retention daily (the first run an hour after start), so personal data goes when its
/// period ends without anyone remembering to run `refgate retention run`.
public struct RetentionService: Service {
    let personalData: PersonalData
    /// Woken at shutdown.
    let signal: WakeSignal
    let logger: Logger

    /// Seconds between runs.
    static let interval: TimeInterval = 86_400
    /// Seconds from start to the first run.
    static let firstRun: TimeInterval = 3600

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            var wait = Self.firstRun
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                await signal.wait(timeout: .seconds(wait))
                guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
                wait = Self.interval
                do {
                    let report = try await personalData.runRetention(dryRun: false)
                    logger.info("retention run", metadata: ["purged": "\(report.cases.count)"])
                } catch {
                    logger.error("retention run failed", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            signal.signal()
        }
    }
}
