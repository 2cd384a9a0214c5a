import Foundation
import RefGateCore
import RefGateStore

extension Queries {
    /// Per peer, for requests made in `[from, to)` (open bounds when nil): requests each way,
    /// working time to answer in each direction (median and 90th percentile), the highest
    /// escalation level each case reached, and the RAG of what still awaits an answer.
    public func performance(from: Date? = nil, to: Date? = nil) async throws -> [PeerPerformance] {
        // The RAG counts are a read of their own, run beside the figures (a fifth of the report's
        // time at a million cases).
        async let outstandingNow = outstandingCounts()
        try await fillAnswerWorkingTimes()
        let counts: [PerformanceCounts]
        if from == nil && to == nil {
            let (overAllTime, rowsToFold) = try await store.read { try $0.performanceOverAllTime() }
            counts = overAllTime
            // PostgreSQL's writers add rows of changes to the running totals; folding them here
            // keeps the next report's read a few thousand rows (the daily retention run folds too).
            if rowsToFold > Self.answerTalliesFoldAbove { try await store.write { try $0.foldAnswerTallies() } }
        } else {
            counts = try await store.read { try $0.performanceCounts(from: from, to: to) }
        }
        let outstanding = try await outstandingNow
        let names = await directory.current.directory.authorities.reduce(into: [AuthorityID: String]()) {
            $0[$1.id] = $1.name
        }
        var rows: [AuthorityID: PeerPerformance] = [:]
        for group in counts {
            var row =
                rows[group.peer]
                ?? PeerPerformance(
                    peer: group.peer, name: names[group.peer], sent: 0, received: 0, answered: 0,
                    theirAnswers: .init(), ourAnswers: .init(), escalatedToLevel: [0, 0, 0], rag: .init())
            var answers = PeerPerformance.AnswerTimes()
            answers.answered = group.answered
            answers.medianWorkingHours = group.medianWorkingSeconds.map { $0 / 3600 }
            answers.p90WorkingHours = group.p90WorkingSeconds.map { $0 / 3600 }
            // Cases this authority sent are answered by them; cases it received, by us.
            if group.side == .requester {
                row.sent += group.requests
                row.theirAnswers = answers
            } else {
                row.received += group.requests
                row.ourAnswers = answers
            }
            row.answered += group.answered
            for level in 0..<3 { row.escalatedToLevel[level] += group.escalatedToLevel[level] }
            rows[group.peer] = row
        }
        // The RAG is of what awaits an answer now, among the peers of the period.
        for item in outstanding { rows[item.peer]?.rag.add(item.rag, count: item.count) }
        return rows.values.sorted { ($0.name ?? $0.peer.rawValue) < ($1.name ?? $1.peer.rawValue) }
    }

    /// Rows of changes to the running totals beyond which a report over all time folds them.
    static let answerTalliesFoldAbove = 1_000

    /// Works out the working time of answers that have none yet (answered before migration v28,
    /// or whose response was stored before its case), a thousand to a write, so that the
    /// report ranks every answer.
    public func fillAnswerWorkingTimes() async throws {
        let missing = try await store.read { try $0.answerWorkingTimesMissing() }
        guard missing > 0 else { return }
        let calendar = policy.calendar
        // Bounded by what was missing: a time that cannot be stored (SQLite keeps NaN as NULL)
        // would otherwise be picked again for ever.
        for _ in 0...(missing / 1_000 + 1) {
            let filled = try await store.write { tx in
                try tx.fillAnswerWorkingTimes(limit: 1_000) { calendar.workingTime(from: $0, to: $1) }
            }
            if filled == 0 { return }
        }
    }
}
