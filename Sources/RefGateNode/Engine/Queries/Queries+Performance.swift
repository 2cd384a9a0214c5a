import Foundation
import RefGateCore
import RefGateStore

extension Queries {
    /// Per peer, for requests made in `[from, to)` (open bounds when nil): requests each way,
    /// working time to answer in each direction (median and 90th percentile), the highest
    /// escalation level each case reached, and the RAG of what still awaits an answer.
    public func performance(from: Date? = nil, to: Date? = nil) async throws -> [PeerPerformance] {
        let calendar = policy.calendar
        let timings = try await store.read { try $0.caseTimings(from: from, to: to) }
        let outstanding = try await outstanding()
        let names = await directory.current.directory.authorities.reduce(into: [AuthorityID: String]()) {
            $0[$1.id] = $1.name
        }
        var rows: [AuthorityID: PeerPerformance] = [:]
        var hours: [AuthorityID: [CaseSide: [Double]]] = [:]
        for timing in timings {
            var row =
                rows[timing.peer]
                ?? PeerPerformance(
                    peer: timing.peer, name: names[timing.peer], sent: 0, received: 0, answered: 0,
                    theirAnswers: .init(), ourAnswers: .init(), escalatedToLevel: [0, 0, 0], rag: .init())
            if timing.side == .requester { row.sent += 1 } else { row.received += 1 }
            for level in 1...3 where timing.highestEscalationLevel >= level { row.escalatedToLevel[level - 1] += 1 }
            if let answeredAt = timing.answeredAt {
                row.answered += 1
                hours[timing.peer, default: [:]][timing.side, default: []].append(
                    calendar.workingTime(from: timing.requestedAt, to: answeredAt) / 3600)
            }
            rows[timing.peer] = row
        }
        // The RAG is of what awaits an answer now, among the peers of the period.
        for item in outstanding { rows[item.peer]?.rag.add(item.rag) }
        for (peer, sides) in hours {
            // Cases this authority sent are answered by them; cases it received, by us.
            rows[peer]?.theirAnswers = .init(hours: sides[.requester] ?? [])
            rows[peer]?.ourAnswers = .init(hours: sides[.responder] ?? [])
        }
        return rows.values.sorted { ($0.name ?? $0.peer.rawValue) < ($1.name ?? $1.peer.rawValue) }
    }
}
