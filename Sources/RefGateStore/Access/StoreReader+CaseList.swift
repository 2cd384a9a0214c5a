import Foundation
import GRDB
import RefGateCore

/// Which cases a list shows, as the store filters them: every field narrows it.
public struct CaseQuery: Sendable, Hashable {
    /// Which side this authority is on.
    public var side: CaseSide?
    /// Where the case stands.
    public var status: CaseStatus?
    /// Only cases awaiting their answer with this rating.
    public var rag: RAGStatus?
    /// The other authority.
    public var peer: AuthorityID?
    /// Only cases that are overdue (red), or only those that are not.
    public var overdue: Bool?
    /// Any part of the candidate's name (any case), or their registration number exactly.
    public var candidate: String?

    /// Creates a query.
    public init(
        side: CaseSide? = nil, status: CaseStatus? = nil, rag: RAGStatus? = nil, peer: AuthorityID? = nil,
        overdue: Bool? = nil, candidate: String? = nil
    ) {
        self.side = side
        self.status = status
        self.rag = rag
        self.peer = peer
        self.overdue = overdue
        self.candidate = candidate
    }
}

extension StoreReader {
    /// One page of the cases `query` matches, newest first, with the total, filtered, counted
    /// and paged in SQL. The RAG is decided by comparing each awaiting case's deadline (its
    /// latest escalation's, else its response deadline, kept in `waiting_due`) with `now` and
    /// `amberUntil` (the latest instant within the amber threshold of working time): no working
    /// time is counted per row.
    public func casePage(_ query: CaseQuery, now: Date, amberUntil: Date, limit: Int, offset: Int) throws -> (
        rows: [(record: CaseRecord, escalationDue: Date?)], total: Int
    ) {
        var clauses: [String] = []
        var arguments: SQLArguments = []
        func require(_ clause: String, _ values: SQLArguments = []) {
            clauses.append(clause)
            arguments += values
        }
        if let side = query.side { require("c.side = ?", [side.rawValue]) }
        if let status = query.status { require("c.status = ?", [status.rawValue]) }
        if let peer = query.peer { require("c.peer = ?", [peer.rawValue]) }
        if let candidate = query.candidate, !candidate.isEmpty {
            let (clause, values) = candidateClause(candidate)
            require(clause, values)
        }
        // The deadline a case waits on, kept by the store's triggers (`waiting_due`): a rating is
        // a range of the (status, waiting_due, escalation_level) index, counted in it alone.
        let due = "{due}"
        let awaiting = "c.status = 'awaiting-response'"
        let red = "(\(awaiting) AND (c.escalation_level >= 3 OR \(due) <= ?))"
        let (nowValue, amberValue) = (now.epochMilliseconds, amberUntil.epochMilliseconds)
        switch query.rag {
        case .red?: require(red, [nowValue])
        case .amber?:
            require(awaiting)
            require("c.escalation_level < 3 AND \(due) > ? AND \(due) <= ?", [nowValue, amberValue])
        case .green?:
            require(awaiting)
            require("c.escalation_level < 3 AND \(due) > ?", [amberValue])
        case nil: break
        }
        if let overdue = query.overdue { require(overdue ? red : "NOT \(red)", [nowValue]) }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        // Filtered by side and peer alone (or not at all), the count is the running totals of
        // the performance report (`AnswerTally`, which counts every case whose request was
        // signed) and the cases without one: PostgreSQL's exact count of a million rows alone
        // took 40 ms.
        let total: Int
        if query.status == nil && (query.candidate ?? "").isEmpty && query.rag == nil && query.overdue == nil {
            let and = clauses.isEmpty ? "" : " AND " + clauses.joined(separator: " AND ")
            total =
                try Int.fetchOne(
                    try db.cached(
                        """
                        SELECT (SELECT COALESCE(CAST(sum(c.requests) AS BIGINT), 0) FROM answer_tallies c \(filter))
                            + (SELECT count(*) FROM cases c WHERE c.requested_at IS NULL\(and))
                        """), arguments: arguments + arguments) ?? 0
        } else {
            total =
                try Int.fetchOne(
                    try db.cached(
                        "SELECT count(*) FROM cases c \(filter.replacingOccurrences(of: due, with: "c.waiting_due"))"),
                    arguments: arguments) ?? 0
        }
        // A page walks the list's order (status, created_at) and skips what does not match, which
        // is quick when many match; when few do, reading their deadline range and sorting it is
        // quicker. The unary plus keeps the planner off the deadline index for the walk.
        let deadline = total > 2_000 ? "+c.waiting_due" : "c.waiting_due"
        let pageSQL = """
            SELECT c.*, (SELECT e.due_at FROM escalations e WHERE e.case_id = c.id ORDER BY e.level DESC LIMIT 1)
                AS escalation_due
            FROM cases c \(filter.replacingOccurrences(of: due, with: deadline))
            ORDER BY c.created_at DESC, c.id LIMIT ? OFFSET ?
            """
        let rows = try Row.fetchAll(try db.cached(pageSQL), arguments: arguments + [limit, offset]).map { row in
            (try CaseRecord(row: row), (row["escalation_due"] as Int64?).map(Date.init(epochMilliseconds:)))
        }
        return (rows, total)
    }

    /// The registration numbers of the candidates this authority asked references for, newest
    /// request first, one page at a time, and whether more follow. The cases are read newest
    /// first along `cases_by_created` until the page is full, so a page costs what precedes
    /// it, not what the node holds (a count of every candidate would read them all).
    public func candidateRegistrations(limit: Int, offset: Int) throws -> (registrations: [String], more: Bool) {
        let wanted = offset + limit + 1
        var seen = Set<String>()
        var ordered: [String] = []
        var chunk = max(256, min(wanted, 1 << 20) * 3)
        var scanned = 0
        let statement = try db.cached(
            """
            SELECT candidate_registration FROM cases
            WHERE side = 'requester' AND candidate_registration IS NOT NULL
            ORDER BY created_at DESC, candidate_registration LIMIT ? OFFSET ?
            """)
        while ordered.count < wanted {
            let rows = try String.fetchAll(statement, arguments: [chunk, scanned])
            for registration in rows where seen.insert(registration).inserted { ordered.append(registration) }
            scanned += rows.count
            if rows.count < chunk { break }
            chunk = min(chunk * 2, 1 << 20)
        }
        let page = Array(ordered.dropFirst(offset).prefix(limit))
        return (page, ordered.count > offset + limit)
    }
}
