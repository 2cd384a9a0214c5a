import Foundation
import RefGateStore

/// The store engines a parameterized suite runs on.
public enum TestEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    /// SQLite, the default.
    case sqlite
    /// PostgreSQL, on the test server (`TestPostgres`).
    case postgres

    /// The engine's name.
    public var description: String { rawValue }

    /// Where a new, empty store of this engine is: a file in `folder`, or a database of its own
    /// on the test server.
    public func location(in folder: TemporaryFolder, name: String = "db") throws -> DatabaseLocation {
        switch self {
        case .sqlite: return .sqlite(folder.file("\(name).sqlite"))
        case .postgres:
            let (server, database) = try TestPostgres.database()
            return .postgres(
                PostgresSettings(
                    host: server.host, port: server.port, user: server.user, database: database,
                    tls: .init(mode: "disable")))
        }
    }

    /// A new, empty store of this engine.
    public func store(
        in folder: TemporaryFolder, wake: @escaping @Sendable (Set<WorkQueue>) -> Void = { _ in }
    ) throws -> Store {
        try Store(location(in: folder), wake: wake)
    }
}
