import Foundation
import GRDB
import RefGateCore

/// What a snapshot holds, read from it once it is taken.
public struct SnapshotSummary: Sendable, Codable, Hashable {
    /// Cases in it.
    public var cases: Int
    /// Messages in it.
    public var messages: Int
    /// Audit log entries in it (the tree size the snapshot ends at).
    public var auditEntries: Int
    /// The newest signed tree head in it (compact JWS), if the node had made one.
    public var auditHead: String?
    /// The newest message it holds was recorded at this time (nil: none): what peers are
    /// asked for after a restore.
    public var lastRecordedAt: Date?
    /// The schema migrations it has.
    public var migrations: [String]
}

extension Store {
    /// Closes the database now (checkpointing its WAL into the file), before the file is moved.
    public func closeDatabase() throws { try pool.close() }

    /// Writes a consistent snapshot of this store to `destination` (a new file, mode 0600)
    /// through SQLite's backup API while the node keeps writing, and returns what it holds.
    public func snapshot(to destination: String) throws -> SnapshotSummary {
        try Self.snapshot(from: pool, to: destination)
    }

    /// Writes a consistent snapshot of the database at `source`, which a running node may be
    /// writing, to `destination` (a new file, mode 0600): SQLite's backup API on a read-only
    /// connection, never a file copy of a live WAL database.
    public static func snapshot(databaseAt source: String, to destination: String) throws -> SnapshotSummary {
        guard FileManager.default.fileExists(atPath: source) else {
            throw RefGateError(
                .configurationInvalid, "there is no database at \(source): check `database` in the configuration")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: source, configuration: configuration)
        } catch {
            throw RefGateError(.storageFailed, "cannot read the database at \(source): \(error)")
        }
        defer { try? queue.close() }
        return try snapshot(from: queue, to: destination)
    }

    private static func snapshot(from source: some DatabaseReader, to destination: String) throws -> SnapshotSummary {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw RefGateError(.configurationInvalid, "\(destination) exists already; choose a new file")
        }
        do {
            // Owner-only from the first byte: it holds everything the node holds.
            guard
                FileManager.default.createFile(
                    atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw RefGateError(.storageFailed, "cannot create \(destination)") }
            let copy = try DatabaseQueue(path: destination)
            // One step: the copy is the database as of one instant, whatever is written meanwhile.
            try source.backup(to: copy)
            // A single self-contained file (the source's WAL mode is copied with its pages).
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let summary = try copy.read { db in try summarize(db) }
            try copy.close()
            return summary
        } catch let error as RefGateError {
            try? FileManager.default.removeItem(atPath: destination)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw RefGateError(.storageFailed, "cannot take a snapshot into \(destination): \(error)")
        }
    }

    /// What the database at `path` holds (a snapshot, or a restored file before it is used).
    public static func summary(ofDatabaseAt path: String) throws -> SnapshotSummary {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in try summarize(db) }
    }

    static func summarize(_ db: Database) throws -> SnapshotSummary {
        SnapshotSummary(
            cases: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0,
            messages: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages") ?? 0,
            auditEntries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0,
            auditHead: try String.fetchOne(db, sql: "SELECT jws FROM audit_heads ORDER BY tree_size DESC LIMIT 1"),
            lastRecordedAt: try Int64.fetchOne(db, sql: "SELECT MAX(recorded_at) FROM messages").map(
                Date.init(epochMilliseconds:)),
            migrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"))
    }
}
