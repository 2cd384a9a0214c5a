import Foundation

/// Where a node keeps its state: a SQLite file (the default, `"database": "refgate.sqlite"`) or
/// a PostgreSQL database (`"database": {"postgres": {…}}`) that several instances may share.
public enum DatabaseLocation: Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// A SQLite file at this path.
    case sqlite(String)
    /// A PostgreSQL database.
    case postgres(PostgresSettings)

    private enum Keys: String, CodingKey { case postgres }

    /// A SQLite path.
    public init(stringLiteral value: String) { self = .sqlite(value) }

    /// Reads a path string or `{"postgres": {…}}`.
    public init(from decoder: any Decoder) throws {
        if let path = try? decoder.singleValueContainer().decode(String.self) {
            self = .sqlite(path)
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        self = .postgres(try container.decode(PostgresSettings.self, forKey: .postgres))
    }

    /// Writes the form it was read in.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .sqlite(let path):
            var container = encoder.singleValueContainer()
            try container.encode(path)
        case .postgres(let settings):
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(settings, forKey: .postgres)
        }
    }

    /// The SQLite file, nil on PostgreSQL.
    public var sqlitePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }

    /// The path, or the PostgreSQL server and database (no password).
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let settings): settings.displayName
        }
    }

    /// Makes file paths absolute against `base`.
    public mutating func resolvePaths(relativeTo base: String) {
        switch self {
        case .sqlite(let path):
            if !path.hasPrefix("/") { self = .sqlite((base as NSString).appendingPathComponent(path)) }
        case .postgres(var settings):
            settings.resolvePaths(relativeTo: base)
            self = .postgres(settings)
        }
    }
}
