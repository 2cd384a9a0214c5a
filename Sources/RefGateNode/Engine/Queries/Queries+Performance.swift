import Foundation
import RefGateCore
import RefGateStore

extension Queries {
    /// Per peer: requests each way, working time to answer (median and 90th percentile),
    /// escalations by level and the RAG of what still awaits an answer.
    public func performance() async throws -> [PeerPerformance] {
        let calendar = policy.calendar
        let timings = try await store.read { try $0.caseTimings() }
        let outstanding = try await outstanding()
        let names = await directory.current.directory.authorities.reduce(into: [AuthorityID: String]()) {
            $0[$1.id] = $1.name
        }
        var rows: [AuthorityID: PeerPerformance] = [:]
        var hours: [AuthorityID: [Double]] = [:]
        for timing in timings {
            var row =
                rows[timing.peer]
                ?? PeerPerformance(
                    peer: timing.peer, name: names[timing.peer], sent: 0, received: 0, answered: 0,
                    escalatedToLevel: [0, 0, 0], rag: .init())
            if timing.side == .requester { row.sent += 1 } else { row.received += 1 }
            for level in 1...3 where timing.escalationLevel >= level { row.escalatedToLevel[level - 1] += 1 }
            if let answeredAt = timing.answeredAt {
                row.answered += 1
                hours[timing.peer, default: []].append(
                    calendar.workingTime(from: timing.requestedAt, to: answeredAt) / 3600)
            }
            rows[timing.peer] = row
        }
        for item in outstanding { rows[item.peer]?.rag.add(item.rag) }
        for (peer, values) in hours {
            let sorted = values.sorted()
            rows[peer]?.medianWorkingHours = Self.percentile(sorted, 0.5)
            rows[peer]?.p90WorkingHours = Self.percentile(sorted, 0.9)
        }
        return rows.values.sorted { ($0.name ?? $0.peer.rawValue) < ($1.name ?? $1.peer.rawValue) }
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = max(1, Int((p * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}
