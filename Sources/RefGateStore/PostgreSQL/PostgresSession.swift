import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection running one transaction's statements, synchronously.
///
/// The store's accesses are synchronous closures (the same on SQLite, where GRDB runs them on
/// its own threads); here a statement waits for postgres-nio's future. That is safe because
/// a session is only used on the store's own blocking threads (`PostgresEngine`), never on an
/// event loop or the concurrency pool.
///
/// Statements whose rows nobody reads (writes, `BEGIN`, savepoints) are pipelined: they are
/// queued on the connection at once and waited for together, at the next query whose rows are
/// read, at `changes()`, at the end of a savepoint or at commit. Each wait wakes this thread
/// from the event loop; a write transaction of a dozen statements waited for each of them.
/// The first error among them is the one reported, as if each had been waited for: PostgreSQL
/// refuses every later statement of an aborted transaction, so none of them took effect.
final class PostgresSession {
    /// What one statement returned: its rows and, for an unnamed statement, how many it changed.
    struct Outcome {
        var rows: [PostgresRow]
        var changes: Int?
    }

    let connection: PostgresConnection
    private let logger: Logger
    /// The connection's named statements; nil where every statement is sent unnamed (schema
    /// changes, one-off connections).
    private let statements: PreparedStatements?
    /// Statements sent and not yet waited for, oldest first, each with its SQL for errors.
    private var pending: [(result: EventLoopFuture<Outcome>, sql: String)] = []
    /// Plain `INSERT … VALUES` statements not sent yet, each into a table of its own.
    private var held: [(sql: String, arguments: SQLArguments, table: Substring)] = []
    /// Rows the last statement waited for changed.
    private var lastChanges = 0
    private var savepoints = 0

    init(connection: PostgresConnection, logger: Logger, statements: PreparedStatements? = nil) {
        self.connection = connection
        self.logger = logger
        self.statements = statements
    }

    /// Runs one statement written in the store's shared dialect and returns its rows.
    @discardableResult
    func query(_ sql: String, _ arguments: SQLArguments) throws -> [Row] {
        try run(sql, arguments).map(Row.init(postgres:))
    }

    /// The first column of each row of one query.
    func firstColumn(_ sql: String, _ arguments: SQLArguments) throws -> [DatabaseValue] {
        try run(sql, arguments).map { row in
            guard let cell = row.first(where: { _ in true }) else { return .null }
            return try DatabaseValue(postgres: cell)
        }
    }

    /// Sends one statement written in the store's shared dialect without waiting for it: as a
    /// named statement when the connection keeps them.
    ///
    /// A plain `INSERT … VALUES` is held back, and the inserts held go as one statement before
    /// the next other statement, wait or end of savepoint: the first ones as data-modifying
    /// `WITH` queries of the last. A message's case, message and outbox entry then cost one
    /// statement, not three (each statement costs both sides a round of the protocol). Only
    /// inserts into different tables are joined, since the parts of one statement run in no
    /// set order: a table's identity column (the `rowid` the store orders by) keeps the order of
    /// the inserts. An error fails the joined statement, and with it its transaction or
    /// savepoint, as any one of its inserts would have.
    func enqueue(_ sql: String, _ arguments: SQLArguments) {
        if let table = Self.joinableTable(sql) {
            if held.contains(where: { $0.table == table })
                || held.reduce(arguments.values.count, { $0 + $1.arguments.values.count }) > Self.maxJoinedArguments
            {
                release()
            }
            held.append((sql, arguments, table))
            return
        }
        release()
        send(sql, arguments)
    }

    /// Most arguments in one joined statement (PostgreSQL takes 65,535).
    static let maxJoinedArguments = 30_000

    /// The table of a plain `INSERT INTO table (…) VALUES …`: nil for anything else (a
    /// conflict clause may meet a row twice in one statement; a query reads before the others'
    /// rows are there).
    static func joinableTable(_ sql: String) -> Substring? {
        guard sql.hasPrefix("INSERT INTO "), !sql.contains("SELECT"), !sql.contains("ON CONFLICT"),
            !sql.contains("RETURNING"), sql.contains("VALUES")
        else { return nil }
        return sql.dropFirst("INSERT INTO ".count).prefix { $0 != " " && $0 != "(" }
    }

    /// Sends the inserts held: one alone as it is, several as one statement.
    private func release() {
        guard let last = held.last else { return }
        let joined = held
        held = []
        guard joined.count > 1 else { return send(last.sql, last.arguments) }
        let queries = joined.dropLast().enumerated().map { "i\($0.offset) AS (\($0.element.sql))" }
        send(
            "WITH \(queries.joined(separator: ", ")) \(last.sql)",
            joined.reduce(SQLArguments()) { $0 + $1.arguments })
    }

    private func send(_ sql: String, _ arguments: SQLArguments) {
        let translated = PostgresDialect.translate(sql)
        if let statements {
            enqueuePrepared(translated, arguments, statements)
            return
        }
        pending.append((unnamed(Self.query(translated, arguments)), translated))
    }

    private static func query(_ translated: String, _ arguments: SQLArguments) -> PostgresQuery {
        var binds = PostgresBindings(capacity: arguments.values.count)
        for value in arguments.values { binds.append(value) }
        return PostgresQuery(unsafeSQL: translated, binds: binds)
    }

    private func enqueuePrepared(_ translated: String, _ arguments: SQLArguments, _ statements: PreparedStatements) {
        let key = PreparedStatements.key(translated, arguments)
        let statement: PreparedQuery
        if let known = statements[key] {
            statement = known
        } else if statements.isFull {
            pending.append((unnamed(Self.query(translated, arguments)), translated))
            return
        } else {
            // Prepared once per connection; the wait is behind the statements already sent.
            let typed = PreparedStatements.typed(translated, arguments)
            do {
                statement = try connection.prepare(query: typed).wait()
                statements.remember(statement, for: key)
            } catch {
                pending.append((connection.eventLoop.makeFailedFuture(error), typed))
                return
            }
        }
        let binds = arguments.values.map(PostgresData.init(storing:))
        pending.append((statement.execute(binds).map { Outcome(rows: $0, changes: nil) }, translated))
    }

    private func unnamed(_ query: PostgresQuery) -> EventLoopFuture<Outcome> {
        connection.query(query, logger: logger).map { Outcome(rows: $0.rows, changes: $0.metadata.rows) }
    }

    /// Sends statements with no arguments, as they are, without waiting for them.
    func enqueue(raw sql: String) {
        release()
        for statement in Self.statements(in: sql) {
            pending.append((unnamed(PostgresQuery(unsafeSQL: statement)), statement))
        }
    }

    /// Waits for every statement sent; throws the first one's error, if any.
    @discardableResult
    func flush() throws -> Outcome? {
        release()
        guard !pending.isEmpty else { return nil }
        let sent = pending
        pending = []
        var failure: SQLStatementError?
        var last: Outcome?
        // Every one is waited for, failed or not, so none is still running when this returns.
        for statement in sent {
            do {
                last = try statement.result.wait()
            } catch {
                if failure == nil { failure = SQLStatementError(error, sql: statement.sql) }
            }
        }
        if let failure {
            if PostgresEngine.isStalePlan(failure) { statements?.sawStalePlan = true }
            throw failure
        }
        lastChanges = last?.changes ?? 0
        return last
    }

    /// Runs one statement and returns how many rows it changed, once every statement sent has
    /// finished.
    func changes(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        guard statements != nil else {
            enqueue(sql, arguments)
            try flush()
            return lastChanges
        }
        // A named statement's result has no count of changed rows, but it has their rows.
        return try run(sql + " RETURNING 1", arguments).count
    }

    private func run(_ sql: String, _ arguments: SQLArguments) throws -> [PostgresRow] {
        enqueue(sql, arguments)
        return try flush()?.rows ?? []
    }

    /// Runs statements with no arguments, as they are (the schema, transaction control), one
    /// at a time: postgres-nio speaks only the extended protocol, one statement per message.
    /// Each is waited for before the next goes: outside a transaction, a failed statement must
    /// stop the script.
    func execute(raw sql: String) throws {
        try flush()
        for statement in Self.statements(in: sql) {
            enqueue(raw: statement)
            try flush()
        }
    }
    /// The statements of a script: split at semicolons outside quotes and `$$` bodies.
    static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inQuote = false
        var inBody = false
        var previous: Character = " "
        for character in script {
            if character == "'" && !inBody { inQuote.toggle() }
            if character == "$" && previous == "$" && !inQuote { inBody.toggle() }
            if character == ";" && !inQuote && !inBody {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty && !last.split(separator: "\n").allSatisfy({ $0.hasPrefix("--") }) { statements.append(last) }
        return statements
    }

    /// Runs `body` in a transaction begun with `begin`: committed when it returns, rolled back
    /// when it throws. `BEGIN` goes out with the first statement; the commit is waited for.
    func transaction<T>(begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        enqueue(raw: begin)
        do {
            let result = try body()
            try execute(raw: "COMMIT")
            return result
        } catch {
            _ = try? flush()
            try? execute(raw: "ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a read-only transaction begun with `begin` and returns with its `COMMIT`
    /// sent and not waited for (nothing was written): the connection's next statement queues
    /// behind it, and `pending` is what the connection's next user waits for first.
    func readOnly<T>(begin: String, _ body: () throws -> T) throws -> (T, pending: EventLoopFuture<PostgresQueryResult>)
    {
        enqueue(raw: begin)
        do {
            let result = try body()
            try flush()
            let commit = connection.query(PostgresQuery(unsafeSQL: "COMMIT"), logger: logger)
            return (result, commit)
        } catch {
            _ = try? flush()
            try? execute(raw: "ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a savepoint, as SQLite's `inSavepoint` does. Its statements are waited for
    /// before the savepoint is released, so an error is its body's, never a later one's.
    func inSavepoint(_ body: () throws -> Database.TransactionCompletion) throws {
        savepoints += 1
        defer { savepoints -= 1 }
        let name = "refgate_\(savepoints)"
        enqueue(raw: "SAVEPOINT \(name)")
        let completion: Database.TransactionCompletion
        do {
            completion = try body()
            try flush()
        } catch {
            _ = try? flush()
            try execute(raw: "ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
            throw error
        }
        if completion == .rollback {
            enqueue(raw: "ROLLBACK TO SAVEPOINT \(name)")
        }
        enqueue(raw: "RELEASE SAVEPOINT \(name)")
    }
}

extension PostgresBindings {
    /// Binds a GRDB value with the PostgreSQL type that holds it in the store's schema.
    fileprivate mutating func append(_ value: DatabaseValue) {
        switch value.storage {
        case .null: appendNull()
        case .int64(let integer): append(integer)
        case .double(let double): append(double)
        case .string(let string): append(string)
        case .blob(let data): append(ByteBuffer(bytes: data))
        }
    }
}

extension PostgresData {
    /// A GRDB value bound to a named statement, in the type its cast declares
    /// (`PreparedStatements.typed`).
    fileprivate init(storing value: DatabaseValue) {
        switch value.storage {
        case .null: self.init(type: .null, formatCode: .binary, value: nil)
        case .int64(let integer): self.init(int64: integer)
        case .double(let double): self.init(double: double)
        case .string(let string): self.init(string: string)
        case .blob(let data): self.init(type: .bytea, formatCode: .binary, value: ByteBuffer(bytes: data))
        }
    }
}

extension Row {
    /// A PostgreSQL row as a GRDB row, looked up by column name. Where two columns share a name,
    /// the first is kept, as SQLite does.
    convenience init(postgres row: PostgresRow) throws {
        var columns: [String: (any DatabaseValueConvertible)?] = [:]
        for cell in row where columns[cell.columnName.lowercased()] == nil {
            columns[cell.columnName.lowercased()] = try DatabaseValue(postgres: cell)
        }
        self.init(columns)
    }
}

extension DatabaseValue {
    /// A PostgreSQL cell as the value SQLite would hold.
    init(postgres cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        // postgres-nio asks for every result in binary, but a named statement's cells carry
        // the format of its description, which the server gives as text.
        var cell = cell
        cell.format = .binary
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: self = try cell.decode(Int64.self).databaseValue
        case .bool: self = (try cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .float4, .float8: self = try cell.decode(Double.self).databaseValue
        case .bytea: self = Data(buffer: try cell.decode(ByteBuffer.self)).databaseValue
        case .numeric:
            let decimal = try cell.decode(Decimal.self)
            let whole = NSDecimalNumber(decimal: decimal)
            if decimal == Decimal(whole.int64Value) {
                self = whole.int64Value.databaseValue
            } else {
                self = whole.doubleValue.databaseValue
            }
        default: self = try cell.decode(String.self).databaseValue
        }
    }
}

/// A statement PostgreSQL refused: its SQLSTATE, the server's message and the statement (never
/// its arguments, which may be personal data).
struct SQLStatementError: Error, CustomStringConvertible {
    /// The SQLSTATE, e.g. `40001` for a serialization failure; nil when the connection failed.
    let sqlState: String?
    let message: String
    let sql: String
    /// Whether the server went out of reach (the connection closed, or the server is shutting
    /// down or starting): nothing of the transaction was kept.
    let lostServer: Bool

    init(_ error: any Error, sql: String) {
        if let error = error as? PSQLError, let info = error.serverInfo {
            sqlState = info[.sqlState]
            message = info[.message] ?? "error"
        } else if case .server(let info) = error as? PostgresError {
            // A named statement's errors come through postgres-nio's older error type.
            sqlState = info.fields[.sqlState]
            message = info.fields[.message] ?? "error"
        } else {
            sqlState = nil
            message = String(reflecting: error)
        }
        lostServer = Self.isLostServer(error, sqlState: sqlState)
        self.sql = sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// Whether `error` means the server is out of reach for now: SQLSTATE class 08 (connection
    /// exception), 57P01 to 57P03 (shutting down, crashed, not yet accepting), or a connection
    /// that closed or failed.
    static func isLostServer(_ error: any Error, sqlState: String?) -> Bool {
        if let sqlState { return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState) }
        switch error as? PostgresError {
        case .connectionClosed: return true
        case .protocol(let message): return message == "Unexpected connection close"
        default: break
        }
        guard let error = error as? PSQLError else { return false }
        return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(
            error.code)
    }

    var description: String {
        "PostgreSQL: \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "") + " in: \(sql.prefix(300))"
    }
}
