import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// One page of the cases awaiting their answer, most urgent first (red, then amber, then
    /// green; earliest deadline first within each), and how many match: ordered and paged in
    /// SQL. `query`'s side, peer, candidate and rating narrow it (its status and `overdue` are
    /// implied). Red is "due by now, or the ladder spent", so the order is four ranges of the
    /// deadline index read one after another: due by now; spent but due later (`cases_spent`);
    /// not spent and due within the amber threshold; not spent and due after it. Each is
    /// counted apart (spent ones subtracted through their own index), and only the ranges the
    /// page falls in are read.
    public func outstandingPage(_ query: CaseQuery, now: Date, amberUntil: Date, limit: Int, offset: Int) throws
        -> (rows: [(record: CaseRecord, escalationDue: Date?)], total: Int)
    {
        var extra: [String] = []
        var extraArguments: SQLArguments = []
        if let side = query.side {
            extra.append("c.side = ?")
            extraArguments += [side.rawValue]
        }
        if let peer = query.peer {
            extra.append("c.peer = ?")
            extraArguments += [peer.rawValue]
        }
        if let candidate = query.candidate, !candidate.isEmpty {
            let (clause, arguments) = candidateClause(candidate)
            extra.append(clause)
            extraArguments += arguments
        }
        let (nowValue, amberValue) = (now.epochMilliseconds, amberUntil.epochMilliseconds)
        let awaiting = "c.status = 'awaiting-response'"
        let spent = "c.escalation_level >= 3"
        // (rating, range of the deadline, whether the spent cases are the ones wanted or excluded)
        let ranges: [(RAGStatus, String, SQLArguments, spent: Bool?)] = [
            (.red, "c.waiting_due <= ?", [nowValue], nil),
            (.red, "c.waiting_due > ?", [nowValue], true),
            (.amber, "c.waiting_due > ? AND c.waiting_due <= ?", [nowValue, amberValue], false),
            (.green, "c.waiting_due > ?", [amberValue], false),
        ]
        var parts: [(clause: String, arguments: SQLArguments, count: Int)] = []
        for (rating, range, rangeArguments, wantsSpent) in ranges where query.rag == nil || query.rag == rating {
            let base = ([awaiting, range] + extra).joined(separator: " AND ")
            let arguments = rangeArguments + extraArguments
            func count(_ clause: String) throws -> Int {
                try Int.fetchOne(try db.cached("SELECT count(*) FROM cases c WHERE \(clause)"), arguments: arguments)
                    ?? 0
            }
            switch wantsSpent {
            case nil: parts.append((base, arguments, try count(base)))
            case true?: parts.append(("\(base) AND \(spent)", arguments, try count("\(base) AND \(spent)")))
            case false?:
                // Spent cases are few and have their own index: subtracting them keeps the big
                // range an index-only count.
                let notSpent = "\(base) AND c.escalation_level < 3"
                let total = extra.isEmpty ? try count(base) - count("\(base) AND \(spent)") : try count(notSpent)
                parts.append((notSpent, arguments, total))
            }
        }
        var rows: [(record: CaseRecord, escalationDue: Date?)] = []
        var skip = offset
        for part in parts where rows.count < limit {
            guard skip < part.count else {
                skip -= part.count
                continue
            }
            let sql = """
                SELECT c.*, (SELECT e.due_at FROM escalations e WHERE e.case_id = c.id ORDER BY e.level DESC LIMIT 1)
                    AS escalation_due
                FROM cases c WHERE \(part.clause) ORDER BY c.waiting_due, c.id LIMIT ? OFFSET ?
                """
            rows += try Row.fetchAll(try db.cached(sql), arguments: part.arguments + [limit - rows.count, skip]).map {
                row in
                (try CaseRecord(row: row), (row["escalation_due"] as Int64?).map(Date.init(epochMilliseconds:)))
            }
            skip = 0
        }
        return (rows, parts.reduce(0) { $0 + $1.count })
    }

    /// How many cases await their answer, by side, peer and rating, counted in SQL over the
    /// deadline index.
    public func outstandingCounts(now: Date, amberUntil: Date) throws -> [OutstandingCount] {
        try Row.fetchAll(
            try db.cached(
                """
                SELECT c.side, c.peer,
                    CASE WHEN c.escalation_level >= 3 OR c.waiting_due <= ? THEN 'red'
                        WHEN c.waiting_due <= ? THEN 'amber' ELSE 'green' END AS rag,
                    count(*) AS n
                FROM cases c WHERE c.status = 'awaiting-response'
                GROUP BY c.side, c.peer, rag
                """), arguments: [now.epochMilliseconds, amberUntil.epochMilliseconds]
        ).map { row in
            guard let side = CaseSide(rawValue: row["side"]), let peer = AuthorityID(rawValue: row["peer"]),
                let rag = RAGStatus(rawValue: row["rag"])
            else { throw RefGateError(.storedDataUnknown, "an awaiting case has an unknown side or peer") }
            return OutstandingCount(side: side, peer: peer, rag: rag, count: row["n"])
        }
    }

    /// The clause a candidate search adds: any part of the name (any case), or the
    /// registration number exactly (through `cases_by_registration`). On SQLite, a needle of
    /// three characters or more is looked up in the trigram index `case_names` first (FTS5
    /// folds case as widely as `lower` or more, so it misses nothing the LIKE would match); on
    /// PostgreSQL the LIKE itself reads the pg_trgm index where there is one.
    func candidateClause(_ candidate: String) -> (String, SQLArguments) {
        let escaped = candidate.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        var name = "lower(c.candidate_name) LIKE ? ESCAPE '\\'"
        var arguments: SQLArguments = ["%\(escaped)%"]
        if case .sqlite = db.connection, candidate.count >= 3 {
            let phrase = "\"" + candidate.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            name = "(c.rowid IN (SELECT rowid FROM case_names WHERE case_names MATCH ?) AND \(name))"
            arguments = [phrase] + arguments
        }
        return ("(\(name) OR lower(c.candidate_registration) = lower(?))", arguments + [candidate])
    }
}

/// How many awaiting cases one side, peer and rating has.
public struct OutstandingCount: Sendable, Hashable {
    /// Which side this authority is on.
    public var side: CaseSide
    /// The other authority.
    public var peer: AuthorityID
    /// The rating.
    public var rag: RAGStatus
    /// How many.
    public var count: Int
}
