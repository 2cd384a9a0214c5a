import Foundation
import GRDB
import RefGateCore

/// One peer and side's requests in a period, as the performance report counts them.
public struct PerformanceCounts: Sendable, Hashable {
    /// The other authority.
    public var peer: AuthorityID
    /// Which side this authority is on.
    public var side: CaseSide
    /// Requests signed in the period.
    public var requests: Int
    /// Of those, answered.
    public var answered: Int
    /// Of those, how many reached level 1, level 2 and the spent ladder (the highest level each
    /// reached).
    public var escalatedToLevel: [Int]
    /// Working seconds from request to response: the median and the 90th percentile (nearest
    /// rank), nil before any answer.
    public var medianWorkingSeconds: Double?
    /// The 90th percentile of the same.
    public var p90WorkingSeconds: Double?
}

extension StoreReader {
    /// Per peer and side, the requests signed in `[from, to)` (either bound open when nil),
    /// counted in SQL from the covering index `cases_by_requested`. The answers' working times
    /// are ranked in SQL: over all time, each percentile is one ordered read of
    /// `cases_answer_times`; over a period, the period's times are read from the covering index
    /// in order. Answers whose working time is not yet worked out are not ranked
    /// (`answerWorkingTimesMissing` says how many).
    public func performanceCounts(from: Date? = nil, to: Date? = nil) throws -> [PerformanceCounts] {
        let bounds: SQLArguments = [from?.epochMilliseconds ?? Int64.min, to?.epochMilliseconds ?? Int64.max]
        let groups = try Row.fetchAll(
            try db.cached(
                """
                SELECT peer, side, count(*) AS requests, count(answered_at) AS answered,
                    sum(CASE WHEN highest_escalation_level >= 1 THEN 1 ELSE 0 END) AS level1,
                    sum(CASE WHEN highest_escalation_level >= 2 THEN 1 ELSE 0 END) AS level2,
                    sum(CASE WHEN highest_escalation_level >= 3 THEN 1 ELSE 0 END) AS level3,
                    count(CASE WHEN answered_at IS NOT NULL THEN answer_working_seconds END) AS ranked
                FROM cases WHERE requested_at >= ? AND requested_at < ?
                GROUP BY peer, side
                """), arguments: bounds)
        // Over a period, both percentiles of every peer and side come from one ranking in SQL.
        // PostgreSQL ranks with window functions and sends only the ranks wanted; SQLite's window
        // functions took 110 ms over a month of a million cases, where reading the month's times
        // in order from the covering index and picking the ranks here takes a third of that.
        var periodRanks: [String: [Int: Double]] = [:]
        if from != nil || to != nil {
            if db.isPostgres {
                for row in try Row.fetchAll(
                    try db.cached(
                        """
                        SELECT peer, side, r, seconds FROM (
                            SELECT peer, side, answer_working_seconds AS seconds,
                                row_number() OVER (PARTITION BY peer, side ORDER BY answer_working_seconds) AS r,
                                count(*) OVER (PARTITION BY peer, side) AS n
                            FROM cases
                            WHERE requested_at >= ? AND requested_at < ? AND answered_at IS NOT NULL
                                AND answer_working_seconds IS NOT NULL
                        ) ranked
                        WHERE r = (n * 50 + 99) / 100 OR r = (n * 90 + 99) / 100
                        """), arguments: bounds)
                {
                    periodRanks["\(row["peer"] as String) \(row["side"] as String)", default: [:]][row["r"]] =
                        row["seconds"]
                }
            } else {
                let counts = Dictionary(
                    uniqueKeysWithValues: groups.map {
                        ("\($0["peer"] as String) \($0["side"] as String)", $0["ranked"] as Int)
                    })
                var key = ""
                var rank = 0
                for row in try Row.fetchAll(
                    try db.cached(
                        """
                        SELECT peer, side, answer_working_seconds FROM cases
                        WHERE requested_at >= ? AND requested_at < ? AND answered_at IS NOT NULL
                            AND answer_working_seconds IS NOT NULL
                        ORDER BY peer, side, answer_working_seconds
                        """), arguments: bounds)
                {
                    let group = "\(row["peer"] as String) \(row["side"] as String)"
                    if group != key { (key, rank) = (group, 0) }
                    rank += 1
                    let n = counts[group] ?? 0
                    if rank == (n * 50 + 99) / 100 || rank == (n * 90 + 99) / 100 {
                        periodRanks[group, default: [:]][rank] = row["answer_working_seconds"]
                    }
                }
            }
        }
        let rank = try db.cached(
            """
            SELECT answer_working_seconds FROM cases
            WHERE peer = ? AND side = ? AND answer_working_seconds IS NOT NULL
            ORDER BY answer_working_seconds LIMIT 1 OFFSET ?
            """)
        return try groups.map { row in
            guard let side = CaseSide(rawValue: row["side"]), let peer = AuthorityID(rawValue: row["peer"]) else {
                throw RefGateError(.storedDataUnknown, "a case has an unknown side or peer")
            }
            let ranked: Int = row["ranked"]
            let ranks = periodRanks["\(peer.rawValue) \(side.rawValue)"]
            func percentile(_ percent: Int) throws -> Double? {
                guard ranked > 0 else { return nil }
                // Nearest rank, in integers as the SQL above has it.
                let nearest = (ranked * percent + 99) / 100
                if from != nil || to != nil { return ranks?[nearest] }
                return try Double.fetchOne(rank, arguments: [peer.rawValue, side.rawValue, nearest - 1])
            }
            return PerformanceCounts(
                peer: peer, side: side, requests: row["requests"], answered: row["answered"],
                escalatedToLevel: [row["level1"] ?? 0, row["level2"] ?? 0, row["level3"] ?? 0],
                medianWorkingSeconds: try percentile(50), p90WorkingSeconds: try percentile(90))
        }
    }

    /// How many answered cases have no working time worked out yet.
    public func answerWorkingTimesMissing() throws -> Int {
        try Int.fetchOne(
            try db.cached(
                """
                SELECT count(*) FROM cases
                WHERE answered_at IS NOT NULL AND answer_working_seconds IS NULL AND requested_at IS NOT NULL
                """)) ?? 0
    }
}
