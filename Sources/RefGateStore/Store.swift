import Foundation
import GRDB
import Logging
import RefGateCore

/// The node's durable state: SQLite through a GRDB `DatabasePool` in WAL mode (the default), or
/// a PostgreSQL database that several instances of the node may share.
///
/// Every commit is durable. On SQLite `synchronous = FULL`: GRDB sets the writer to NORMAL when
/// it enables WAL, after `prepareDatabase` runs, so FULL is set on the writer once the pool is
/// open. On PostgreSQL `synchronous_commit` is set on for every connection.
public final class Store: Sendable {
    /// The engine holding the data.
    enum Engine: Sendable {
        case sqlite(DatabasePool)
        case postgres(PostgresEngine)
    }

    let engine: Engine
    private let group: GroupCommit
    /// Told, after each commit, which work queues it touched.
    private let wake: @Sendable (Set<WorkQueue>) -> Void
    /// Path of the database file.
    public let path: String

    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// It holds candidates' personal data and all the evidence: the file is made 0600 before
    /// SQLite opens it (its `-wal` and `-shm` files take the same mode). A folder the node
    /// creates is 0700; a folder that exists is left as it is (it may be shared, like `/tmp`),
    /// unless anyone may replace files in it (world-writable without the sticky bit): refused.
    ///
    /// `wake` is called after each commit with the work queues it touched (outgoing messages,
    /// notifications, deadlines), so the services draining them can start at once.
    public init(path: String, wake: @escaping @Sendable (Set<WorkQueue>) -> Void = { _ in }) throws {
        self.wake = wake
        let directory = (path as NSString).deletingLastPathComponent
        try Self.prepareFolder(directory.isEmpty ? "." : directory)
        try Self.restrict(path: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Every write runs in a savepoint (group commit), so SQLite keeps the original of
            // each page a savepoint changes in a sub-journal; in a temporary file that was most
            // of what a node wrote (two pwrites per page). Memory holds it for the transaction.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Readers map the database file instead of copying its pages with pread after
            // every commit has invalidated their cache.
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
            // 16 MiB of page cache (the default is 2): a group transaction of many messages
            // dirties more pages than 2 MiB, and spilling them mid-transaction writes twice.
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(pool)
        } catch {
            throw RefGateError(.configurationInvalid, "cannot open the database at \(path): \(error)")
        }
        self.path = path
        engine = .sqlite(pool)
        group = GroupCommit(transact: { body in try pool.write { db in try body(SQLSession(db)) } }, wake: wake)
    }

    /// Opens the PostgreSQL database `settings` name, bringing its schema to this release's.
    public init(
        postgres settings: PostgresSettings, logger: Logger = Logger(label: "refgate.store"),
        wake: @escaping @Sendable (Set<WorkQueue>) -> Void = { _ in }
    ) throws {
        self.wake = wake
        let postgres = try PostgresEngine(settings: settings, logger: logger)
        do {
            try postgres.migrate()
        } catch {
            postgres.shutdown()
            throw error
        }
        engine = .postgres(postgres)
        path = settings.displayName
        group = GroupCommit(
            transact: { body in try postgres.transaction { session in try body(SQLSession(session)) } },
            lanes: settings.writerLanes, deferringAudit: true, optimistic: true, isRetryable: PostgresEngine.lostRace,
            wake: wake)
    }

    /// Opens the store `location` names.
    public convenience init(
        _ location: DatabaseLocation, logger: Logger = Logger(label: "refgate.store"),
        wake: @escaping @Sendable (Set<WorkQueue>) -> Void = { _ in }
    ) throws {
        switch location {
        case .sqlite(let path): try self.init(path: path, wake: wake)
        case .postgres(let settings): try self.init(postgres: settings, logger: logger, wake: wake)
        }
    }

    /// Which engine holds the data: "sqlite" or "postgres".
    public var engineName: String {
        switch engine {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// The SQLite pool (the SQLite-only tools: snapshots, `PRAGMA`s).
    var pool: DatabasePool {
        get throws {
            guard case .sqlite(let pool) = engine else {
                throw RefGateError(
                    .configurationInvalid,
                    "this works on a SQLite store only; on PostgreSQL use the server's own tools (pg_dump, point-in-time recovery)"
                )
            }
            return pool
        }
    }

    /// Whether other instances may share this store (PostgreSQL): then what each sends is
    /// claimed first (`StoreTransaction.claim`).
    public var isShared: Bool {
        if case .postgres = engine { return true }
        return false
    }

    /// Whether this instance runs the periodic work: always on SQLite (one process per file);
    /// on PostgreSQL the one instance holding the leader's lock (`PostgresEngine.holdsLeadership`).
    public func holdsLeadership() async -> Bool {
        switch engine {
        case .sqlite: true
        case .postgres(let postgres): (try? await postgres.run { postgres.holdsLeadership() }) ?? false
        }
    }

    /// Closes the store's connections (PostgreSQL's; SQLite's close with the store).
    public func closeConnections() {
        if case .postgres(let postgres) = engine { postgres.shutdown() }
    }

    /// Creates the database's folder (and its parents) owner-only if it is missing; refuses
    /// one in which anyone may replace the database.
    private static func prepareFolder(_ folder: String) throws {
        var info = stat()
        if stat(folder, &info) != 0 {
            let parent = (folder as NSString).deletingLastPathComponent
            if !parent.isEmpty && parent != folder { try prepareFolder(parent) }
            guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
                throw RefGateError(
                    .storageFailed, "cannot create the database folder \(folder): \(String(cString: strerror(errno)))")
            }
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw RefGateError(.configurationInvalid, "the database folder \(folder) is not a folder")
        }
        if info.st_mode & 0o002 != 0 && info.st_mode & S_ISVTX == 0 {
            throw RefGateError(
                .configurationInvalid,
                "anyone may replace files in the database folder \(folder) (mode \(String(info.st_mode & 0o7777, radix: 8)), no sticky bit): name a database path in a folder only this account may write, or a new folder for refgate to create"
            )
        }
    }

    /// Owner-only modes for the database file (created empty if absent, for SQLite to fill)
    /// and its `-wal` and `-shm` files.
    private static func restrict(path: String) throws {
        func fail(_ what: String) -> RefGateError {
            RefGateError(.storageFailed, "cannot \(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("open the database at \(path)") }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw fail("make \(path) owner-only") }
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            guard chmod(path + suffix, 0o600) == 0 else { throw fail("make \(path)\(suffix) owner-only") }
        }
    }

    /// The writer's `synchronous` setting (2 = FULL), for tests and `node status`; on PostgreSQL
    /// 2 when `synchronous_commit` is on (each commit waits for its WAL to be flushed).
    public func synchronousMode() throws -> Int {
        switch engine {
        case .sqlite(let pool):
            try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        case .postgres(let postgres): try postgres.synchronousCommit() ? 2 : 0
        }
    }

    /// Runs `body` atomically and durably: all of it commits or none of it does, and this
    /// returns only once it has. Concurrent writes share transactions (group commit: each in
    /// its own savepoint), so one `fsync` serves many of them.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        return try await group.write { context in
            let tx = StoreTransaction(db: context.db, chain: context.chain, work: context.work)
            let result = try body(tx)
            try tx.finish()
            return result
        }
    }

    /// Runs `body` on a read-only snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreReader) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let pool): try await pool.read { db in try body(StoreReader(db: SQLSession(db))) }
        case .postgres(let postgres):
            try await postgres.run {
                try postgres.snapshot { session in try body(StoreReader(db: SQLSession(session))) }
            }
        }
    }

    /// Runs `body` in one write transaction, blocking the calling thread (for tools and benchmarks).
    public func writeSync<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        var touched: Set<WorkQueue> = []
        let work = WorkLedger()
        // Audit entries wait for commit where instances share the log (see `AuditChainTip`).
        let chain = AuditChainTip(deferring: isShared)
        let result: T = try withoutActuallyEscaping(body) { body in
            let transaction = { (session: SQLSession) throws -> T in
                // Every transaction starts without a remembered tip (group commit's too), and with
                // nothing touched.
                chain.begin()
                _ = work.take()
                let tx = StoreTransaction(db: session, chain: chain, work: work)
                let result = try body(tx)
                try tx.finish()
                try StoreTransaction.appendDeferredAudit(session, chain: chain)
                touched = work.take()
                return result
            }
            switch engine {
            case .sqlite(let pool): return try pool.write { db in try transaction(SQLSession(db)) }
            case .postgres(let postgres):
                return try postgres.transaction { session in try transaction(SQLSession(session)) }
            }
        }
        if !touched.isEmpty { wake(touched) }
        return result
    }

    /// Runs `body` on a read-only snapshot, blocking the calling thread.
    public func readSync<T>(_ body: (StoreReader) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let pool): try pool.read { db in try body(StoreReader(db: SQLSession(db))) }
        case .postgres(let postgres):
            try postgres.snapshot { session in try body(StoreReader(db: SQLSession(session))) }
        }
    }
}
