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
    /// Per peer and side, the requests signed in `[from, to)` (either bound open when nil).
    ///
    /// Over all time the figures come from the running totals (`AnswerTally`): a few thousand
    /// rows whatever the number of cases, and per percentile one read of the band it falls in.
    /// Over a period they come from one read of the period's cases in the covering index
    /// `cases_by_requested`: PostgreSQL counts and ranks them in one aggregate
    /// (`percentile_disc`), SQLite hands them over in index order and they are ranked here.
    /// Answers whose working time is not yet worked out are not ranked
    /// (`answerWorkingTimesMissing` says how many).
    public func performanceCounts(from: Date? = nil, to: Date? = nil) throws -> [PerformanceCounts] {
        if from == nil && to == nil { return try performanceOverAllTime().counts }
        let bounds: SQLArguments = [from?.epochMilliseconds ?? Int64.min, to?.epochMilliseconds ?? Int64.max]
        return db.isPostgres ? try postgresPerformance(bounds) : try sqlitePerformance(bounds)
    }

    /// The figures over all time, and how many rows of changes
    /// `StoreTransaction.foldAnswerTallies()` would fold away: the rows of `answer_tallies` beyond
    /// one per key (always 0 on SQLite, which keeps one).
    public func performanceOverAllTime() throws -> (counts: [PerformanceCounts], rowsToFold: Int) {
        if db.isPostgres { return try postgresPerformanceOverAllTime() }
        struct Group {
            var counts: PerformanceCounts
            var bands: [(band: Int, answers: Int)] = []
        }
        var groups: [Group] = []
        var (peerID, sideName) = ("", "")
        // SQLite holds one row per key, in key order (the table is its primary key): read as
        // they are, where summing them took 10 ms of the 12 at a million cases. Columns by
        // position: GRDB would lowercase a name at each lookup.
        let tallies = """
            SELECT peer, side, band, requests, answered, level1, level2, level3
            FROM answer_tallies ORDER BY peer, side, band
            """
        try db.forEachRow(tallies) { row in
            let requests: Int = row[3]
            guard requests != 0 else { return }
            let (peer, side): (String, String) = (row[0], row[1])
            if groups.isEmpty || peer != peerID || side != sideName {
                guard let side = CaseSide(rawValue: side), let peer = AuthorityID(rawValue: peer) else {
                    throw RefGateError(.storedDataUnknown, "a case has an unknown side or peer")
                }
                groups.append(
                    Group(
                        counts: PerformanceCounts(
                            peer: peer, side: side, requests: 0, answered: 0, escalatedToLevel: [0, 0, 0])))
                (peerID, sideName) = (peer.rawValue, side.rawValue)
            }
            let last = groups.count - 1
            groups[last].counts.requests += requests
            groups[last].counts.answered += row[4] as Int
            for level in 0..<3 { groups[last].counts.escalatedToLevel[level] += row[5 + level] as Int }
            let band: Int = row[2]
            if band >= 0 { groups[last].bands.append((band, requests)) }
        }
        // Where each percentile falls: its band and how far into it.
        var wanted: [(group: Int, percent: Int, band: Int, offset: Int)] = []
        for (index, group) in groups.enumerated() {
            let ranked = group.bands.reduce(0) { $0 + $1.answers }
            guard ranked > 0 else { continue }
            for percent in [50, 90] {
                // Nearest rank, in integers as the SQL over a period has it.
                var rank = (ranked * percent + 99) / 100
                for (band, answers) in group.bands {
                    if rank <= answers {
                        wanted.append((index, percent, band, rank - 1))
                        break
                    }
                    rank -= answers
                }
            }
        }
        let times = try answerTimes(
            wanted.map { (groups[$0.group].counts.peer, groups[$0.group].counts.side, $0.band, $0.offset) })
        for (item, time) in zip(wanted, times) {
            if item.percent == 50 {
                groups[item.group].counts.medianWorkingSeconds = time
            } else {
                groups[item.group].counts.p90WorkingSeconds = time
            }
        }
        let counts = groups.map(\.counts)
        return (counts, 0)
    }

    /// The figures over all time on PostgreSQL, in one statement that returns a row per peer
    /// and side: the totals summed by key, where each percentile falls (its band, from a running
    /// sum over the bands, and how far in), and the time read there from `cases_answer_times`,
    /// from whichever end of the band is nearer. Ranks are BIGINTs (a sum of BIGINTs is NUMERIC,
    /// whose division is not an integer's). Reading the totals' ten thousand rows into the
    /// node took most of a report of 90 ms at a million cases; this takes a fifth of that.
    private func postgresPerformanceOverAllTime() throws -> (counts: [PerformanceCounts], rowsToFold: Int) {
        let width = Int(AnswerTally.width)
        let band = """
            WHERE peer = w.peer AND side = w.side
                AND answer_working_seconds IS NOT NULL AND answered_at IS NOT NULL AND requested_at IS NOT NULL
                AND answer_working_seconds >= CASE WHEN w.band <= 0 THEN CAST('-Infinity' AS DOUBLE PRECISION)
                    ELSE w.band * \(width).0 END
                AND answer_working_seconds < CASE WHEN w.band >= \(AnswerTally.lastBand) THEN CAST('Infinity' AS DOUBLE PRECISION)
                    ELSE (w.band + 1) * \(width).0 END
            """
        var rowsToFold = 0
        // For this transaction only: the totals are read in key order from their index, so
        // grouping them needs no hash table and the running sum that follows no sort (50 ms
        // against 41 at a million cases, on a machine where the report took 44 ms before).
        try db.execute(sql: "SET LOCAL enable_hashagg = off")
        let counts = try Row.fetchAll(
            try db.cached(
                """
                WITH t AS (
                    SELECT peer, side, band, sum(requests) AS n, sum(answered) AS answered, sum(level1) AS level1,
                        sum(level2) AS level2, sum(level3) AS level3, count(*) AS pieces
                    FROM answer_tallies GROUP BY peer, side, band),
                c AS (
                    SELECT peer, side, band, n, CAST(sum(n) OVER (PARTITION BY peer, side ORDER BY band) AS BIGINT) AS upto
                    FROM t WHERE band >= 0 AND n <> 0),
                g AS (
                    SELECT peer, side, sum(n) AS requests, sum(answered) AS answered, sum(level1) AS level1,
                        sum(level2) AS level2, sum(level3) AS level3,
                        CAST(coalesce(sum(n) FILTER (WHERE band >= 0), 0) AS BIGINT) AS ranked
                    FROM t GROUP BY peer, side HAVING sum(n) <> 0),
                w AS (
                    SELECT g.peer, g.side, p.percent, c.band, c.n,
                        (g.ranked * p.percent + 99) / 100 - (c.upto - c.n) - 1 AS k
                    FROM g CROSS JOIN (VALUES (50), (90)) AS p(percent)
                    JOIN c ON c.peer = g.peer AND c.side = g.side
                        AND c.upto >= (g.ranked * p.percent + 99) / 100
                        AND c.upto - c.n < (g.ranked * p.percent + 99) / 100
                    WHERE g.ranked > 0),
                r AS (
                    SELECT w.peer, w.side, w.percent, CASE WHEN w.k * 2 < w.n
                        THEN (SELECT answer_working_seconds FROM cases \(band)
                            ORDER BY answer_working_seconds LIMIT 1 OFFSET w.k)
                        ELSE (SELECT answer_working_seconds FROM cases \(band)
                            ORDER BY answer_working_seconds DESC LIMIT 1 OFFSET w.n - 1 - w.k) END AS seconds
                    FROM w)
                SELECT g.peer, g.side, CAST(g.requests AS BIGINT) AS requests, CAST(g.answered AS BIGINT) AS answered,
                    CAST(g.level1 AS BIGINT) AS level1, CAST(g.level2 AS BIGINT) AS level2,
                    CAST(g.level3 AS BIGINT) AS level3,
                    (SELECT r.seconds FROM r WHERE r.peer = g.peer AND r.side = g.side AND r.percent = 50) AS median,
                    (SELECT r.seconds FROM r WHERE r.peer = g.peer AND r.side = g.side AND r.percent = 90) AS p90,
                    (SELECT CAST(sum(pieces) - count(*) FILTER (WHERE n <> 0) AS BIGINT) FROM t) AS to_fold
                FROM g ORDER BY g.peer, g.side
                """)
        ).map { row in
            guard let side = CaseSide(rawValue: row["side"]), let peer = AuthorityID(rawValue: row["peer"]) else {
                throw RefGateError(.storedDataUnknown, "a case has an unknown side or peer")
            }
            rowsToFold = row["to_fold"]
            return PerformanceCounts(
                peer: peer, side: side, requests: row["requests"], answered: row["answered"],
                escalatedToLevel: [row["level1"], row["level2"], row["level3"]],
                medianWorkingSeconds: row["median"], p90WorkingSeconds: row["p90"])
        }
        return (counts, rowsToFold)
    }

    /// The working time `offset` places into `band`'s answers of one peer and side, in order,
    /// for each item, on SQLite (a local call each). The reads name the conditions of the
    /// partial index `cases_answer_times`, so that a band is read from the index alone.
    private func answerTimes(_ items: [(peer: AuthorityID, side: CaseSide, band: Int, offset: Int)]) throws
        -> [Double?]
    {
        let ranked = "answer_working_seconds IS NOT NULL AND answered_at IS NOT NULL AND requested_at IS NOT NULL"
        return try items.map { item in
            var conditions = ["peer = ?", "side = ?", ranked]
            var arguments: [DatabaseValue] = [item.peer.rawValue.databaseValue, item.side.rawValue.databaseValue]
            if let lower = AnswerTally.lowerBound(of: item.band) {
                conditions.append("answer_working_seconds >= ?")
                arguments.append(lower.databaseValue)
            }
            if let upper = AnswerTally.upperBound(of: item.band) {
                conditions.append("answer_working_seconds < ?")
                arguments.append(upper.databaseValue)
            }
            arguments.append(item.offset.databaseValue)
            return try Double.fetchOne(
                try db.cached(
                    """
                    SELECT answer_working_seconds FROM cases WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY answer_working_seconds LIMIT 1 OFFSET ?
                    """), arguments: SQLArguments(arguments))
        }
    }

    /// Counts and both percentiles of a period in one aggregate. `percentile_disc(p)` is the
    /// value at rank ⌈p × n⌉, the nearest rank; 0.9 is asked as a hair under so that its
    /// product with n never rounds up past an integer (0.9 × 70 is 63.000000000000014 in
    /// doubles).
    private func postgresPerformance(_ bounds: SQLArguments) throws -> [PerformanceCounts] {
        // A month of a million cases is 43,000 entries to sort by peer and side; in the server's
        // default 4 MB they went to disk (52 ms against 40), so this transaction gets more.
        try db.execute(sql: "SET LOCAL work_mem = '32MB'")
        return try Row.fetchAll(
            try db.cached(
                """
                SELECT peer, side, count(*) AS requests, count(answered_at) AS answered,
                    count(*) FILTER (WHERE highest_escalation_level >= 1) AS level1,
                    count(*) FILTER (WHERE highest_escalation_level >= 2) AS level2,
                    count(*) FILTER (WHERE highest_escalation_level >= 3) AS level3,
                    percentile_disc(0.5) WITHIN GROUP (ORDER BY answer_working_seconds)
                        FILTER (WHERE answered_at IS NOT NULL) AS median,
                    percentile_disc(0.9 - 1e-9) WITHIN GROUP (ORDER BY answer_working_seconds)
                        FILTER (WHERE answered_at IS NOT NULL) AS p90
                FROM cases WHERE requested_at >= ? AND requested_at < ?
                GROUP BY peer, side ORDER BY peer, side
                """), arguments: bounds
        ).map { row in
            guard let side = CaseSide(rawValue: row["side"]), let peer = AuthorityID(rawValue: row["peer"]) else {
                throw RefGateError(.storedDataUnknown, "a case has an unknown side or peer")
            }
            return PerformanceCounts(
                peer: peer, side: side, requests: row["requests"], answered: row["answered"],
                escalatedToLevel: [row["level1"], row["level2"], row["level3"]],
                medianWorkingSeconds: row["median"], p90WorkingSeconds: row["p90"])
        }
    }

    /// A period's cases read once from the covering index and ranked here. SQLite's GROUP BY
    /// over another order than the index's sorts in a temporary b-tree: 37 ms for a month of a
    /// million cases, where reading the month's 43,000 entries takes 4.
    private func sqlitePerformance(_ bounds: SQLArguments) throws -> [PerformanceCounts] {
        struct Group {
            var requests = 0
            var answered = 0
            var levels = [0, 0, 0]
            var times: [Double] = []
        }
        // Per peer, the requester's group and the responder's, found with one lookup a row.
        var slots: [String: Int] = [:]
        var groups: [Group] = []
        try db.forEachRow(
            """
            SELECT peer, side = 'requester' AS requester, highest_escalation_level,
                answered_at IS NOT NULL AS answered, answer_working_seconds
            FROM cases WHERE requested_at >= ? AND requested_at < ?
            """, arguments: bounds
        ) { row in
            let peer: String = row[0]
            let slot: Int
            if let known = slots[peer] {
                slot = known
            } else {
                slot = groups.count
                slots[peer] = slot
                groups += [Group(), Group()]
            }
            let index = slot + ((row[1] as Bool) ? 0 : 1)
            let level: Int = row[2]
            let answered: Bool = row[3]
            groups[index].requests += 1
            if level > 0 { for level in 0..<min(level, 3) { groups[index].levels[level] += 1 } }
            if answered {
                groups[index].answered += 1
                if let seconds = row[4] as Double? { groups[index].times.append(seconds) }
            }
        }
        var result: [PerformanceCounts] = []
        for (peerID, slot) in slots {
            guard let peer = AuthorityID(rawValue: peerID) else {
                throw RefGateError(.storedDataUnknown, "a case has an unknown peer")
            }
            for (offset, side) in [CaseSide.requester, .responder].enumerated() where groups[slot + offset].requests > 0
            {
                let group = groups[slot + offset]
                let times = group.times.sorted()
                func percentile(_ percent: Int) -> Double? {
                    times.isEmpty ? nil : times[(times.count * percent + 99) / 100 - 1]
                }
                result.append(
                    PerformanceCounts(
                        peer: peer, side: side, requests: group.requests, answered: group.answered,
                        escalatedToLevel: group.levels, medianWorkingSeconds: percentile(50),
                        p90WorkingSeconds: percentile(90)))
            }
        }
        return result.sorted { ($0.peer.rawValue, $0.side.rawValue) < ($1.peer.rawValue, $1.side.rawValue) }
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
