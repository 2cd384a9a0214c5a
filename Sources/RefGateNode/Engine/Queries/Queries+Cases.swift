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
        let amberUntil = self.amberUntil(now)
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

    /// Candidates this authority asked references for, newest request first, with whether
    /// each may be appointed: chosen and paged in SQL, the standing read only for the page.
    /// Without `limit`, every one. The page says whether more follow, not how many there are.
    public func candidates(limit: Int? = nil, offset: Int = 0) async throws -> CandidatePage {
        if let limit, !(1...500).contains(limit) {
            throw RefGateError(.invalidInput, "limit must be 1 to 500")
        }
        guard offset >= 0 else { throw RefGateError(.invalidInput, "offset must be 0 or more") }
        let pageLimit = limit ?? Int(Int32.max)
        return try await store.read { reader in
            let (registrations, more) = try reader.candidateRegistrations(limit: pageLimit, offset: offset)
            let holdings = try reader.candidateHoldings(registrations)
            let items = registrations.compactMap { Self.gate($0, holdings: holdings[$0]) }
            return CandidatePage(
                items: items, offset: offset, limit: pageLimit, nextOffset: more ? offset + registrations.count : nil)
        }
    }
}

/// One page of candidates, and where the next begins.
public struct CandidatePage: Sendable {
    /// The candidates on this page, with their standing.
    public var items: [AppointmentGate.Status]
    /// The offset of this page.
    public var offset: Int
    /// The page size asked for.
    public var limit: Int
    /// The offset of the next page, if there is one.
    public var nextOffset: Int?
}
