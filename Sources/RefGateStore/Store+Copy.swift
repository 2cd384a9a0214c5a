import Foundation
import GRDB
import RefGateCore

extension Store {
    /// Every table the store holds, parents before the tables that refer to them.
    public static let tables = [
        "cases", "messages", "receipts", "directory_versions", "candidate_checklists", "escalations", "outbox",
        "peer_delivery", "audit_log", "audit_heads", "peer_checkpoints", "users", "user_credentials", "request_keys",
        "case_decisions", "legal_holds", "offline_verifications", "appointments", "alert_preferences", "agencies",
        "candidate_contacts", "agency_notices", "agency_checks", "agency_links", "agency_concerns", "regional_figures",
        "oidc_logins", "notifications",
    ]

    /// Tables whose rows are read back in insertion order (`rowid`, an identity column on
    /// PostgreSQL), so a copy inserts them in that order too.
    static let insertionOrdered: Set<String> = ["messages", "outbox", "notifications"]

    /// Rows in each table.
    public func rowCounts() throws -> [String: Int] {
        try readSync { reader in
            try Dictionary(
                uniqueKeysWithValues: Self.tables.map { table in
                    (table, try Int.fetchOne(reader.db.cached("SELECT count(*) FROM \(table)")) ?? 0)
                })
        }
    }

    /// Copies every row of `source` into this store, which must be empty (just created), in
    /// one transaction: a copy that fails leaves nothing behind. Values are copied as they are
    /// (the audit log's entries byte for byte); columns the engine keeps for itself (`rowid`
    /// on PostgreSQL, `waiting_due`, which the triggers set) are not copied. The copy then
    /// appends one audit entry (`store.copied`, naming `source` and `actor`) to the chain it
    /// copied, so the target's log says how the node came to be there. Returns the rows copied
    /// per table (the audit log's without that entry).
    public func copy(
        from source: Store, described: String, by actor: AuditActor? = nil, at now: Date = Date(),
        pageSize: Int = 2_000
    ) throws -> [String: Int] {
        let held = try rowCounts().filter { $0.value > 0 }
        if let (table, rows) = held.sorted(by: { $0.key < $1.key }).first {
            throw RefGateError(
                .invalidTransition,
                "the target store is not empty (\(table) has \(rows) rows): copy into a new database or file")
        }
        let sourceColumns = try source.readSync { reader in
            try Dictionary(uniqueKeysWithValues: Self.tables.map { ($0, try reader.db.columnNames(in: $0)) })
        }
        return try writeSync { tx in
            var copied: [String: Int] = [:]
            for table in Self.tables {
                let targetColumns = Set(try tx.db.columnNames(in: table))
                let columns = (sourceColumns[table] ?? []).filter {
                    targetColumns.contains($0) && $0 != "rowid" && $0 != "waiting_due"
                }
                let list = columns.joined(separator: ", ")
                let insert =
                    "INSERT INTO \(table) (\(list)) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
                // Merged agencies after the one they merged into (a reference to the same table).
                let order =
                    Self.insertionOrdered.contains(table)
                    ? "rowid" : table == "agencies" ? "merged_into IS NOT NULL, 1" : "1"
                var offset = 0
                while true {
                    let rows = try source.readSync { reader in
                        try Row.fetchAll(
                            reader.db.cached("SELECT \(list) FROM \(table) ORDER BY \(order) LIMIT ? OFFSET ?"),
                            arguments: [pageSize, offset])
                    }
                    for row in rows {
                        try tx.db.run(
                            sql: insert, arguments: SQLArguments(columns.map { row[$0] as DatabaseValue }))
                    }
                    offset += rows.count
                    if rows.count < pageSize { break }
                }
                copied[table] = offset
            }
            try tx.appendAudit(
                AuditEvent(
                    .storeCopied, subject: described, actor: actor,
                    detail: ["rows": "\(copied.values.reduce(0, +))", "auditEntries": "\(copied["audit_log"] ?? 0)"]),
                at: now)
            return copied
        }
    }
}
