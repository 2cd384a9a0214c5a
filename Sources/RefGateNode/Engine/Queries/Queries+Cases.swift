import Foundation
import RefGateCore
import RefGateStore

extension Queries {
    /// Cases matching a filter, newest first, one page at a time: filtered, counted and paged
    /// in the store's SQL (no cap on how many cases a node holds); working time and the RAG
    /// are worked out only for the page shown.
    public func cases(_ filter: CaseFilter, limit: Int = 50, offset: Int = 0) async throws -> Page<CaseSummary> {
        guard (1...500).contains(limit), offset >= 0 else {
            throw RefGateError(.invalidInput, "limit must be 1 to 500 and offset 0 or more")
        }
        let now = clock.now()
        let policy = self.policy
        let amberUntil = policy.calendar.latest(
            withinWorkingTime: policy.amberWorkingDays * policy.calendar.workingDay, of: now)
        let (rows, total) = try await store.read { reader in
            try reader.casePage(filter, now: now, amberUntil: amberUntil, limit: limit, offset: offset)
        }
        let items = rows.map { record, escalationDue -> CaseSummary in
            let outstanding =
                record.status == .awaitingResponse
                ? OutstandingCase(record, escalationDue: escalationDue, policy: policy, now: now) : nil
            return CaseSummary(
                caseID: record.id, side: record.side, peer: record.peer,
                status: record.status, candidateName: record.candidateName, role: record.candidateRole,
                escalationLevel: record.escalationLevel, createdAt: record.createdAt, dueAt: outstanding?.dueAt,
                workingSecondsLeft: outstanding?.workingSecondsLeft, rag: outstanding?.rag,
                overdue: outstanding.map { $0.dueAt <= now || $0.rag == .red } ?? false)
        }
        return Page(
            items: items, total: total, offset: offset, limit: limit,
            nextOffset: offset + items.count < total ? offset + items.count : nil)
    }

    /// Candidates this authority asked references for, with whether each may be appointed.
    public func candidates() async throws -> [AppointmentGate.Status] {
        // Every candidate, newest request first, chosen in SQL (no cap); each one's standing.
        let registrations = try await store.read { reader in
            try reader.candidateRegistrations(limit: Int.max, offset: 0).registrations
        }
        var statuses: [AppointmentGate.Status] = []
        for registration in registrations {
            statuses.append(try await candidateStatus(registration: registration))
        }
        return statuses
    }
}
