import Foundation
import Logging
import ServiceLifecycle

/// Every few minutes, alerts whoever owes an answer due within one working day (the amber of
/// the RAG), once per case and level; the deadline scheduler handles the deadline itself.
public struct DeadlineAlertService: Service {
    let deadlines: Deadlines
    let queries: Queries
    /// Woken at shutdown.
    let signal: WakeSignal
    let logger: Logger
    /// Rounds run only while this instance leads the periodic work.
    var leadership: Leadership = .always

    /// Seconds between rounds: a working day's warning, looked for every ten minutes.
    static let interval: TimeInterval = 600

    /// Runs until graceful shutdown.
    public func run() async throws {
        await PeriodicLoop(name: "deadline alerts", signal: signal, logger: logger, leadership: leadership).run(round: {
            try await tick()
            return .seconds(Self.interval)
        })
    }

    /// One round; tests call it after moving an injected clock.
    @discardableResult
    public func tick() async throws -> Int {
        try await deadlines.alertDeadlinesNear(
            try await queries.outstanding(CaseFilter(side: .responder, rag: .amber)).items)
    }
}
