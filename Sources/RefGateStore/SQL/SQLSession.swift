import Foundation
import GRDB

/// One connection inside a transaction, on either engine: what every store access runs its SQL on.
///
/// The store's SQL is written once, in the dialect the two engines share (with `?`
/// placeholders); `PostgresDialect` is the one place where PostgreSQL's spelling differs. Rows
/// come back as GRDB `Row`s on both engines, so records decode the same way whatever holds them.
struct SQLSession {
    /// The connection behind the session.
    enum Connection {
        /// SQLite, through GRDB (the default engine).
        case sqlite(Database)
        /// PostgreSQL, through postgres-nio.
        case postgres(PostgresSession)
    }

    let connection: Connection

    init(_ db: Database) { connection = .sqlite(db) }

    init(_ session: PostgresSession) { connection = .postgres(session) }

    /// Which engine this is.
    var isPostgres: Bool {
        if case .postgres = connection { return true }
        return false
    }

    /// A statement to fetch with (`Row.fetchAll(try db.cached(sql), arguments:)`).
    func cached(_ sql: String) throws -> SQLStatement { SQLStatement(sql: sql, session: self) }

    /// Runs one statement. On PostgreSQL it is sent without waiting (pipelined): its error, if
    /// any, is thrown by the next read, `changes(sql:arguments:)`, or the end of the savepoint or transaction.
    func run(sql: String, arguments: SQLArguments = SQLArguments()) throws {
        switch connection {
        case .sqlite(let db): try db.cachedStatement(sql: sql).execute(arguments: arguments.grdb)
        case .postgres(let session): session.enqueue(sql, arguments)
        }
    }

    /// Runs one statement (the same as `run`; kept for the places that read as "execute").
    func execute(sql: String, arguments: SQLArguments = SQLArguments()) throws {
        try run(sql: sql, arguments: arguments)
    }

    /// Runs one statement and returns how many rows it changed (on PostgreSQL, once every
    /// statement sent has finished).
    func changes(sql: String, arguments: SQLArguments = SQLArguments()) throws -> Int {
        switch connection {
        case .sqlite(let db):
            try db.cachedStatement(sql: sql).execute(arguments: arguments.grdb)
            return db.changesCount
        case .postgres(let session): return try session.changes(sql, arguments)
        }
    }

    /// Waits for every statement sent (PostgreSQL's writes are pipelined) and throws the first
    /// one's error, so that it is known to have come from the writes before this point.
    func settle() throws {
        if case .postgres(let session) = connection { _ = try session.flush() }
    }

    /// The rows of one query.
    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [Row] {
        switch connection {
        case .sqlite(let db): try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: arguments.grdb)
        case .postgres(let session): try session.query(sql, arguments)
        }
    }

    /// Calls `body` with each row of a query: SQLite streams them (from a cached statement);
    /// PostgreSQL's rows arrive whole first.
    func forEachRow(_ sql: String, arguments: SQLArguments = SQLArguments(), _ body: (Row) throws -> Void) throws {
        switch connection {
        case .sqlite(let db):
            let cursor = try Row.fetchCursor(try db.cachedStatement(sql: sql), arguments: arguments.grdb)
            while let row = try cursor.next() { try body(row) }
        case .postgres(let session):
            for row in try session.query(sql, arguments) { try body(row) }
        }
    }

    /// The names of a table's columns.
    func columnNames(in table: String) throws -> [String] {
        switch connection {
        case .sqlite(let db): try db.columns(in: table).map(\.name)
        case .postgres(let session):
            try session.query(
                """
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
                """, [table]
            ).map { $0["column_name"] as String }
        }
    }

    /// Runs `body` in a savepoint: rolled back if it throws or asks to.
    func inSavepoint(_ body: () throws -> Database.TransactionCompletion) throws {
        switch connection {
        case .sqlite(let db): try db.inSavepoint(body)
        case .postgres(let session): try session.inSavepoint(body)
        }
    }
}
