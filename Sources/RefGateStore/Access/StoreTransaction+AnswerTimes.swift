import Foundation
import GRDB
import RefGateCore

extension StoreTransaction {
    /// Works out and keeps the working time from request to response of `caseID`, if both
    /// times are known; `workingTime` is the authority's calendar. Returns whether it did.
    @discardableResult
    public func recordAnswerWorkingTime(caseID: String, workingTime: (Date, Date) -> TimeInterval) throws -> Bool {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT requested_at, answered_at FROM cases WHERE id = ?", arguments: [caseID]),
            let requested = row["requested_at"] as Int64?, let answered = row["answered_at"] as Int64?
        else { return false }
        let seconds = workingTime(Date(epochMilliseconds: requested), Date(epochMilliseconds: answered))
        try db.run(sql: "UPDATE cases SET answer_working_seconds = ? WHERE id = ?", arguments: [seconds, caseID])
        return true
    }

    /// Fills the working time of up to `limit` answered cases that have none (cases answered
    /// before migration v28, or whose response was stored before its case); returns how many.
    public func fillAnswerWorkingTimes(limit: Int, workingTime: (Date, Date) -> TimeInterval) throws -> Int {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, requested_at, answered_at FROM cases
                WHERE answered_at IS NOT NULL AND answer_working_seconds IS NULL AND requested_at IS NOT NULL
                LIMIT ?
                """, arguments: [limit])
        guard !rows.isEmpty else { return 0 }
        // One statement for the lot: on PostgreSQL a statement is a round trip.
        var values: [DatabaseValue] = []
        for row in rows {
            let seconds = workingTime(
                Date(epochMilliseconds: row["requested_at"]), Date(epochMilliseconds: row["answered_at"]))
            values += [(row["id"] as String).databaseValue, seconds.databaseValue]
        }
        let pairs = Array(repeating: "(CAST(? AS TEXT), CAST(? AS DOUBLE PRECISION))", count: rows.count)
        try db.run(
            sql: """
                UPDATE cases SET answer_working_seconds = v.column2
                FROM (VALUES \(pairs.joined(separator: ", "))) AS v WHERE cases.id = v.column1
                """, arguments: SQLArguments(values))
        return rows.count
    }
}

extension StoreTransaction {
    /// Folds PostgreSQL's rows of changes to the running totals (`AnswerTally`) into one row per
    /// peer, side and band, dropping keys whose totals are nil; nothing to do on SQLite, which
    /// keeps one row per key. Only rows committed before the statement are folded; one being
    /// written meanwhile stays for the next fold, and two folds at once each take different rows
    /// (the second waits for the first's deletions and skips them).
    public func foldAnswerTallies() throws {
        guard db.isPostgres else { return }
        try db.run(
            sql: """
                WITH folded AS (DELETE FROM answer_tallies RETURNING *)
                INSERT INTO answer_tallies (peer, side, band, requests, answered, level1, level2, level3)
                SELECT peer, side, band, sum(requests), sum(answered), sum(level1), sum(level2), sum(level3)
                FROM folded GROUP BY peer, side, band HAVING sum(requests) <> 0
                """)
    }
}
