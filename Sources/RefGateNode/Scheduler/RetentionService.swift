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
    /// Rounds run only while this instance leads the periodic work.
    var leadership: Leadership = .always

    /// Seconds between runs.
    static let interval: TimeInterval = 86_400
    /// Seconds from start to the first run.
    static let firstRun: TimeInterval = 3600

    /// Runs until graceful shutdown.
    public func run() async throws {
        await PeriodicLoop(name: "retention run", signal: signal, logger: logger, leadership: leadership).run(
            first: .seconds(Self.firstRun),
            round: { [personalData, logger] in
                let report = try await personalData.runRetention(dryRun: false)
                logger.info("retention run", metadata: ["purged": "\(report.cases.count)"])
                try await personalData.refreshStatistics()
                return .seconds(Self.interval)
            })
    }
}
