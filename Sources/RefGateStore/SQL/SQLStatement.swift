import Foundation
import GRDB

/// A statement's SQL on a session, fetched with the same calls as GRDB's statements
/// (`CaseRecord.fetchAll(try db.cached(sql), arguments: …)`) on either engine.
struct SQLStatement {
    let sql: String
    let session: SQLSession

    /// The rows it returns.
    func rows(_ arguments: SQLArguments) throws -> [Row] { try session.rows(sql, arguments) }

    /// The first column of each row it returns.
    func firstColumn(_ arguments: SQLArguments) throws -> [DatabaseValue] {
        switch session.connection {
        case .sqlite(let db): try DatabaseValue.fetchAll(try db.cachedStatement(sql: sql), arguments: arguments.grdb)
        case .postgres(let postgres): try postgres.firstColumn(sql, arguments)
        }
    }
}

extension FetchableRecord {
    /// Every row as a record. On SQLite, GRDB decodes each record from the statement's current
    /// row as it steps (no row is copied, and column lookups use the statement's index).
    static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = SQLArguments()) throws -> [Self] {
        switch statement.session.connection {
        case .sqlite(let db): try fetchAll(try db.cachedStatement(sql: statement.sql), arguments: arguments.grdb)
        case .postgres: try statement.rows(arguments).map { try Self(row: $0) }
        }
    }

    /// The first row as a record, if any.
    static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = SQLArguments()) throws -> Self? {
        switch statement.session.connection {
        case .sqlite(let db): try fetchOne(try db.cachedStatement(sql: statement.sql), arguments: arguments.grdb)
        case .postgres: try statement.rows(arguments).first.map { try Self(row: $0) }
        }
    }

    /// Every row of `sql` as a record.
    static func fetchAll(_ db: SQLSession, sql: String, arguments: SQLArguments = SQLArguments()) throws -> [Self] {
        try fetchAll(db.cached(sql), arguments: arguments)
    }

    /// The first row of `sql` as a record, if any.
    static func fetchOne(_ db: SQLSession, sql: String, arguments: SQLArguments = SQLArguments()) throws -> Self? {
        try fetchOne(db.cached(sql), arguments: arguments)
    }
}

extension Row {
    /// Every row.
    static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = SQLArguments()) throws -> [Row] {
        try statement.rows(arguments)
    }

    /// The first row, if any.
    static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = SQLArguments()) throws -> Row? {
        try statement.rows(arguments).first
    }

    /// Every row of `sql`.
    static func fetchAll(_ db: SQLSession, sql: String, arguments: SQLArguments = SQLArguments()) throws -> [Row] {
        try statement(db, sql).rows(arguments)
    }

    /// The first row of `sql`, if any.
    static func fetchOne(_ db: SQLSession, sql: String, arguments: SQLArguments = SQLArguments()) throws -> Row? {
        try statement(db, sql).rows(arguments).first
    }

    private static func statement(_ db: SQLSession, _ sql: String) throws -> SQLStatement { try db.cached(sql) }
}

extension DatabaseValueConvertible {
    /// The first column of every row (NULLs left out, as GRDB does for non-optional values).
    static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = SQLArguments()) throws -> [Self] {
        try statement.firstColumn(arguments).compactMap { try decode($0) }
    }

    /// The first column of the first row; nil when there is no row or it is NULL.
    static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = SQLArguments()) throws -> Self? {
        guard let value = try statement.firstColumn(arguments).first else { return nil }
        return try decode(value)
    }

    /// The first column of every row of `sql`.
    static func fetchAll(_ db: SQLSession, sql: String, arguments: SQLArguments = SQLArguments()) throws -> [Self] {
        try fetchAll(db.cached(sql), arguments: arguments)
    }

    /// The first column of the first row of `sql`.
    static func fetchOne(_ db: SQLSession, sql: String, arguments: SQLArguments = SQLArguments()) throws -> Self? {
        try fetchOne(db.cached(sql), arguments: arguments)
    }

    private static func decode(_ value: DatabaseValue) throws -> Self? {
        if value.isNull { return nil }
        guard let decoded = Self.fromDatabaseValue(value) else {
            throw StoredValueError(value: value.description, type: String(describing: Self.self))
        }
        return decoded
    }
}

extension PersistableRecord {
    /// Inserts the record with columns the store keeps beside its `encode(to:)` ones, on either
    /// engine.
    func insert(_ session: SQLSession, adding extra: [(String, DatabaseValue)]) throws {
        let values = try PersistenceContainer.columns(of: self) + extra
        try session.run(sql: Self.insertSQL(values.map(\.0)), arguments: SQLArguments(values.map(\.1)))
    }

    /// `INSERT` of `columns` into the record's table, a placeholder each.
    private static func insertSQL(_ columns: [String]) -> String {
        """
        INSERT INTO \(databaseTableName) (\(columns.joined(separator: ", ")))
        VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
        """
    }

    /// Inserts the record (its `encode(to:)` columns) on either engine. On PostgreSQL it is sent
    /// without waiting, as `SQLSession.run` sends (its error, if any, comes at the next wait).
    func insert(_ session: SQLSession) throws {
        switch session.connection {
        case .sqlite(let db): try insert(db)
        case .postgres(let postgres):
            let values = try PersistenceContainer.columns(of: self)
            postgres.enqueue(Self.insertSQL(values.map(\.0)), SQLArguments(values.map(\.1)))
        }
    }

    /// Updates the named columns of the row with this record's primary key `id`.
    func update(_ session: SQLSession, columns: [String]) throws {
        switch session.connection {
        case .sqlite(let db): try update(db, columns: columns)
        case .postgres(let postgres):
            let values = try Dictionary(PersistenceContainer.columns(of: self), uniquingKeysWith: { first, _ in first })
            let sql =
                "UPDATE \(Self.databaseTableName) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"
            postgres.enqueue(sql, SQLArguments(columns.map { values[$0] ?? .null } + [values["id"] ?? .null]))
        }
    }

    /// Inserts the record, or replaces the columns of the row with the same `key`.
    func save(_ session: SQLSession, key: String) throws {
        switch session.connection {
        case .sqlite(let db): try save(db)
        case .postgres(let postgres):
            let values = try PersistenceContainer.columns(of: self)
            let updates = values.map(\.0).filter { $0 != key }.map { "\($0) = EXCLUDED.\($0)" }
            let sql =
                Self.insertSQL(values.map(\.0))
                + "\nON CONFLICT (\(key)) DO UPDATE SET \(updates.joined(separator: ", "))"
            postgres.enqueue(sql, SQLArguments(values.map(\.1)))
        }
    }
}

extension PersistenceContainer {
    /// A record's columns and values, by column name.
    static func columns(of record: some EncodableRecord) throws -> [(String, DatabaseValue)] {
        try record.databaseDictionary.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
    }
}

/// A stored value that does not decode as the type asked for (a store bug, not a user's).
struct StoredValueError: Error, CustomStringConvertible {
    let value: String
    let type: String
    var description: String { "a stored value \(value) does not decode as \(type)" }
}
