import Foundation
import RefGateCore
import RefGateStore

extension Queries {
    /// Cases matching a filter, newest first, one page at a time. Filters apply in memory over
    /// the node's cases: a node holds thousands, not millions, and RAG needs working time.
    public func cases(_ filter: CaseFilter, limit: Int = 50, offset: Int = 0) async throws -> Page<CaseSummary> {
        guard (1...500).contains(limit), offset >= 0 else {
            throw RefGateError(.invalidInput, "limit must be 1 to 500 and offset 0 or more")
        }
        let now = clock.now()
        let policy = self.policy
        let (records, awaiting) = try await store.read { reader in
            (
                try reader.cases(
                    status: filter.status, side: filter.side,
                    limit: 100_000),
                try reader.awaitingCases()
            )
        }
        let rated = Dictionary(
            uniqueKeysWithValues: awaiting.map {
                ($0.record.id, OutstandingCase($0.record, escalationDue: $0.escalationDue, policy: policy, now: now))
            })
        let matching = records.compactMap { record -> CaseSummary? in
            let outstanding = rated[record.id]
            let summary = CaseSummary(
                caseID: record.id, side: record.side, peer: record.peer,
                status: record.status, candidateName: record.candidateName, role: record.candidateRole,
                escalationLevel: record.escalationLevel, createdAt: record.createdAt, dueAt: outstanding?.dueAt,
                workingSecondsLeft: outstanding?.workingSecondsLeft, rag: outstanding?.rag,
                overdue: outstanding.map { $0.dueAt <= now || $0.rag == .red } ?? false)
            return filter.matches(summary, registration: record.candidateRegistration) ? summary : nil
        }
        let items = Array(matching.dropFirst(offset).prefix(limit))
        return Page(
            items: items, total: matching.count, offset: offset, limit: limit,
            nextOffset: offset + items.count < matching.count ? offset + items.count : nil)
    }

    /// Candidates this authority asked references for, with whether each may be appointed.
    public func candidates() async throws -> [AppointmentGate.Status] {
        let registrations = try await store.read { reader in
            try reader.cases(side: .requester, limit: 100_000).compactMap(\.candidateRegistration)
        }
        var seen = Set<String>()
        var statuses: [AppointmentGate.Status] = []
        for registration in registrations where seen.insert(registration).inserted {
            statuses.append(try await candidateStatus(registration: registration))
        }
        return statuses
    }
}
