import Foundation
import GRDB
import RefGateCore

extension StoreTransaction {
    /// Inserts rows as they are, many to a statement on PostgreSQL: no audit entries and no
    /// `next_due`, so the scheduler does not see these cases. Only for `refgate bench`, whose
    /// store is thrown away after; every real write goes through the audited inserts.
    public func insertForBenchmark(
        cases: [CaseRecord], messages: [MessageRecord] = [], escalations: [EscalationRecord] = []
    ) throws {
        try CaseRecord.insertAll(cases, db, most: 1_024)
        try MessageRecord.insertAll(messages, db, most: 1_024)
        try EscalationRecord.insertAll(escalations, db, most: 1_024)
        // When each request and response was signed, as the audited inserts keep them.
        var start = 0
        while start < cases.count {
            let chunk = cases[start..<min(cases.count, start + 1_000)]
            try db.run(
                sql: """
                    UPDATE cases SET
                        requested_at = (SELECT m.sent_at FROM messages m WHERE m.id = cases.request_message_id),
                        answered_at = (SELECT m.sent_at FROM messages m WHERE m.id = cases.response_message_id)
                    WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))
                    """, arguments: SQLArguments(chunk.map { $0.id.databaseValue }))
            start += chunk.count
        }
    }
}

extension PersistableRecord {
    /// Inserts the records: one cached statement each on SQLite (already a local call). On
    /// PostgreSQL up to `most` rows a statement (within its 65,535 parameters), in chunks of a
    /// power of two rows, so that any number of records runs as a few different statements,
    /// each prepared once per connection; sent without waiting, as `insert` is.
    static func insertAll(_ records: [Self], _ session: SQLSession, most: Int = KeyList.maxChunk) throws {
        guard !records.isEmpty else { return }
        switch session.connection {
        case .sqlite(let db): for record in records { try record.insert(db) }
        case .postgres(let postgres):
            // A record leaves out the columns it has no value for: every row gets every column.
            let named = try records.map {
                try Dictionary(PersistenceContainer.columns(of: $0), uniquingKeysWith: { first, _ in first })
            }
            let columns = Set(named.flatMap(\.keys)).sorted()
            let row = "(" + columns.map { _ in "?" }.joined(separator: ", ") + ")"
            for chunk in KeyList.powerOfTwoChunks(named, most: min(most, 60_000 / columns.count)) {
                postgres.enqueue(
                    """
                    INSERT INTO \(databaseTableName) (\(columns.joined(separator: ", ")))
                    VALUES \(Array(repeating: row, count: chunk.count).joined(separator: ", "))
                    """,
                    SQLArguments(chunk.flatMap { values in columns.map { values[$0] ?? .null } }))
            }
        }
    }
}
