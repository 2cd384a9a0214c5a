import Foundation
import Logging
import ServiceLifecycle

/// Signs this month's and last month's figures to the region's coordinator: ten minutes after
/// start, then at the configured interval (daily by default). Nothing when the directory names
/// no coordinator. Operators send them at once with `refgate region send` or the API.
public struct RegionalFiguresService: Service {
    let region: RegionalExchange
    /// Between rounds.
    let interval: TimeInterval
    /// Woken at shutdown.
    let signal: WakeSignal
    let logger: Logger
    /// Rounds run only while this instance leads the periodic work.
    var leadership: Leadership = .always

    /// Runs until graceful shutdown.
    public func run() async throws {
        await PeriodicLoop(name: "regional figures", signal: signal, logger: logger, leadership: leadership).run(
            first: .seconds(min(600, interval)),
            round: { [region, interval] in
                try await region.sendFigures()
                return .seconds(interval)
            })
    }
}
