import Foundation
import PostgresNIO
import RefGateCore

extension PostgresEngine {
    /// Brings the database's schema to this release's, under an advisory lock so that instances
    /// starting together migrate it once.
    ///
    /// A new database gets `PostgresSchema.baseline`, the schema SQLite reaches after every
    /// migration up to `PostgresSchema.baselineMigration`, and has all of those recorded as
    /// applied (PostgreSQL support begins there, so no PostgreSQL database is older); each later
    /// migration has a PostgreSQL form in `PostgresSchema.migrations` under the same name. A
    /// database migrated by a newer release is refused rather than written with an older schema.
    func migrate() throws {
        try withConnection { connection in
            let session = PostgresSession(connection: connection, logger: Logger(label: "refgate.store"))
            try session.execute(raw: "SELECT pg_advisory_lock(\(PostgresLocks.migration))")
            defer { try? session.execute(raw: "SELECT pg_advisory_unlock(\(PostgresLocks.migration))") }
            try session.execute(
                raw:
                    "CREATE TABLE IF NOT EXISTS refgate_migrations (identifier TEXT PRIMARY KEY NOT NULL, applied_at BIGINT NOT NULL)"
            )
            let applied = Set(
                try session.query("SELECT identifier FROM refgate_migrations", []).map { $0["identifier"] as String })
            let known = Store.migrations
            if let unknown = applied.subtracting(known).sorted().first {
                throw RefGateError(
                    .configurationInvalid,
                    "the PostgreSQL database has migration \(unknown), which this release does not know: it was used by a newer refgate; run that release"
                )
            }
            let now = Date().epochMilliseconds
            if applied.isEmpty {
                try session.transaction {
                    try session.execute(raw: PostgresSchema.baseline)
                    guard let end = known.firstIndex(of: PostgresSchema.baselineMigration) else {
                        throw RefGateError(.storageFailed, "the PostgreSQL baseline names an unknown migration")
                    }
                    for identifier in known[...end] {
                        try session.query(
                            "INSERT INTO refgate_migrations (identifier, applied_at) VALUES (?, ?)", [identifier, now])
                    }
                }
            }
            for (identifier, sql) in PostgresSchema.migrations where !applied.contains(identifier) {
                let done = try session.query("SELECT 1 FROM refgate_migrations WHERE identifier = ?", [identifier])
                guard done.isEmpty else { continue }
                try session.transaction {
                    try session.execute(raw: sql)
                    try session.query(
                        "INSERT INTO refgate_migrations (identifier, applied_at) VALUES (?, ?)", [identifier, now])
                }
            }
        }
    }

    /// The migrations recorded in the database, in order.
    func appliedMigrations() throws -> [String] {
        try snapshot { session in
            try session.query("SELECT identifier FROM refgate_migrations", []).map { $0["identifier"] as String }
        }
        .sorted { (Store.migrations.firstIndex(of: $0) ?? .max) < (Store.migrations.firstIndex(of: $1) ?? .max) }
    }
}

/// The advisory lock keys refgate takes on PostgreSQL (one namespace: 0x7265_6667 is "refg").
enum PostgresLocks {
    /// Schema migration.
    static let migration: Int64 = 0x7265_6667_0000_0001
    /// Appends to the audit log's one chain.
    static let audit: Int64 = 0x7265_6667_0000_0002
    /// The instance that runs the periodic work.
    static let leader: Int64 = 0x7265_6667_0000_0003
}
