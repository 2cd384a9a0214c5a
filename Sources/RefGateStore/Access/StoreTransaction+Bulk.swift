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
        try CaseRecord.insertAll(cases, db)
        try MessageRecord.insertAll(messages, db)
        try EscalationRecord.insertAll(escalations, db)
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
    /// Inserts the records: one cached statement each on SQLite (already a local call), as
    /// many rows to a statement as PostgreSQL's 65,535 parameters allow (one round trip).
    static func insertAll(_ records: [Self], _ session: SQLSession) throws {
        guard let first = records.first else { return }
        switch session.connection {
        case .sqlite(let db): for record in records { try record.insert(db) }
        case .postgres(let postgres):
            let columns = try PersistenceContainer.columns(of: first).map(\.0)
            let rowsPerStatement = max(1, min(1_000, 60_000 / columns.count))
            let row = "(" + columns.map { _ in "?" }.joined(separator: ", ") + ")"
            var start = 0
            while start < records.count {
                let chunk = records[start..<min(records.count, start + rowsPerStatement)]
                var values: [DatabaseValue] = []
                values.reserveCapacity(chunk.count * columns.count)
                for record in chunk {
                    let named = try Dictionary(
                        PersistenceContainer.columns(of: record), uniquingKeysWith: { first, _ in first })
                    values += columns.map { named[$0] ?? .null }
                }
                let sql = """
                    INSERT INTO \(databaseTableName) (\(columns.joined(separator: ", ")))
                    VALUES \(Array(repeating: row, count: chunk.count).joined(separator: ", "))
                    """
                try postgres.query(sql, SQLArguments(values))
                start += chunk.count
            }
        }
    }
}
