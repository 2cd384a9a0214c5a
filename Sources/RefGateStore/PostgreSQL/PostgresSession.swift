import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection running one transaction's statements, synchronously.
///
/// The store's accesses are synchronous closures (the same on SQLite, where GRDB runs them on
/// its own threads); here each statement waits for postgres-nio's future. That is safe because
/// a session is only used on the store's own blocking threads (`PostgresEngine`), never on an
/// event loop or the concurrency pool.
final class PostgresSession {
    let connection: PostgresConnection
    private let logger: Logger
    /// Rows the last statement changed (`changesCount`).
    private(set) var lastChanges = 0
    private var savepoints = 0

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
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

    private func run(_ sql: String, _ arguments: SQLArguments) throws -> [PostgresRow] {
        let translated = PostgresDialect.translate(sql)
        var binds = PostgresBindings(capacity: arguments.values.count)
        for value in arguments.values { binds.append(value) }
        do {
            let result = try connection.query(PostgresQuery(unsafeSQL: translated, binds: binds), logger: logger).wait()
            lastChanges = result.metadata.rows ?? 0
            return result.rows
        } catch {
            throw SQLStatementError(error, sql: translated)
        }
    }

    /// Runs statements with no arguments, as they are (the schema, transaction control), one
    /// at a time: postgres-nio speaks only the extended protocol, one statement per message.
    func execute(raw sql: String) throws {
        for statement in Self.statements(in: sql) {
            do {
                _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait()
            } catch {
                throw SQLStatementError(error, sql: statement)
            }
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
    /// when it throws.
    func transaction<T>(begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(raw: begin)
        do {
            let result = try body()
            try execute(raw: "COMMIT")
            return result
        } catch {
            try? execute(raw: "ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a savepoint, as SQLite's `inSavepoint` does.
    func inSavepoint(_ body: () throws -> Database.TransactionCompletion) throws {
        savepoints += 1
        defer { savepoints -= 1 }
        let name = "refgate_\(savepoints)"
        try execute(raw: "SAVEPOINT \(name)")
        let completion: Database.TransactionCompletion
        do {
            completion = try body()
        } catch {
            try execute(raw: "ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
            throw error
        }
        if completion == .rollback {
            try execute(raw: "ROLLBACK TO SAVEPOINT \(name)")
        }
        try execute(raw: "RELEASE SAVEPOINT \(name)")
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

    init(_ error: any Error, sql: String) {
        if let error = error as? PSQLError, let info = error.serverInfo {
            sqlState = info[.sqlState]
            message = info[.message] ?? "error"
        } else {
            sqlState = nil
            message = String(reflecting: error)
        }
        self.sql = sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    var description: String {
        "PostgreSQL: \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "") + " in: \(sql.prefix(300))"
    }
}
