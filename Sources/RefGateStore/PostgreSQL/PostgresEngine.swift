import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import RefGateCore
import Synchronization

/// The PostgreSQL engine: a bounded set of connections, transactions run on threads of its own.
///
/// The store's accesses are synchronous closures, so each transaction runs on one of this
/// engine's threads (never the concurrency pool or an event loop) and waits for each
/// statement. A transaction that PostgreSQL aborts for a serialization failure or a deadlock
/// (SQLSTATE 40001, 40P01) is run again, up to five times; any other error rolls it back.
final class PostgresEngine: Sendable {
    /// A connection at rest, with its named statements and the read-only `COMMIT` it may still
    /// be running.
    private struct Idle {
        let connection: PostgresConnection
        let statements: PreparedStatements
        let pending: EventLoopFuture<PostgresQueryResult>?
    }

    private struct Pool {
        var idle: [Idle] = []
        var open = 0
        var closed = false
    }

    let settings: PostgresSettings
    let logger: Logger
    private let configuration: PostgresConnection.Configuration
    private let maxConnections: Int
    private let pool = Mutex(Pool())
    /// Bounds the connections in use; a caller waits at most `acquireTimeout` for one.
    private let slots: DispatchSemaphore
    private let threads: NIOThreadPool
    private let nextID = Atomic<Int>(0)
    /// Moves on when a table changed under the prepared statements: each connection's are
    /// dropped (`DEALLOCATE ALL`) before it is used again.
    private let statementGeneration = Atomic<Int>(0)
    /// The connection holding the leader's advisory lock, and whether it holds it.
    struct LeaderState {
        var connection: PostgresConnection?
        var leader = false
    }
    let leadership = Mutex(LeaderState())
    private static let acquireTimeout = 30.0
    /// Whether sessions prepare their statements (`preparedStatements`, default true).
    private let prepares: Bool

    init(settings: PostgresSettings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        let (host, port, user, database) = try settings.endpoint()
        let tls: PostgresConnection.Configuration.TLS
        if try settings.usesTLS(host: host) {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            tlsConfiguration.minimumTLSVersion = .tlsv12
            if let ca = settings.tls?.caCertificate {
                tlsConfiguration.trustRoots = .file(ca)
            }
            do {
                tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
            } catch {
                throw RefGateError(
                    .configurationInvalid, "database.postgres.tls: cannot use the CA certificate: \(error)")
            }
        } else {
            tls = .disable
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: try settings.password(), database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        // Every statement is bounded (waits for a lock included), so no store call waits for
        // ever on a server that stopped answering a query.
        configuration.options.additionalStartupParameters = [
            ("application_name", "refgate"), ("synchronous_commit", "on"), ("statement_timeout", "60s"),
        ]
        self.configuration = configuration
        maxConnections = max(2, settings.connections ?? 8)
        prepares = settings.preparedStatements ?? true
        slots = DispatchSemaphore(value: maxConnections)
        threads = NIOThreadPool(numberOfThreads: maxConnections)
        threads.start()
    }

    /// Runs blocking database work on the engine's threads.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threads.runIfActive(body)
    }

    /// Runs `body` in one read-write transaction and commits it.
    func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try withSession(attempts: 5, retryingIf: Self.isRetryable) { session in
            (try session.transaction { try body(session) }, nil)
        }
    }

    /// Runs `body` with a session on a connection of its own, again (up to `attempts` times in
    /// all) while its error is one that `retryingIf` says another attempt gets past.
    private func withSession<T>(
        attempts: Int, retryingIf retryable: (any Error) -> Bool,
        _ body: (PostgresSession) throws -> (T, pending: EventLoopFuture<PostgresQueryResult>?)
    ) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try Self.unavailableIfLost {
                    try withPooledConnection { connection, statements in
                        try body(
                            PostgresSession(
                                connection: connection, logger: logger, statements: prepares ? statements : nil))
                    }
                }
            } catch let error where attempt < attempts && retryable(error) {
                logger.debug("transaction retried", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
            }
        }
    }

    /// Runs `body`, turning the loss of the server into `database-unavailable` (HTTP 503): the
    /// caller may try again shortly, here or on another instance. A statement that lost its
    /// connection is the usual sign; a write whose commit was lost may or may not have been
    /// kept, which is why every write is idempotent or checked before it is made again.
    static func unavailableIfLost<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLStatementError where error.lostServer {
            throw RefGateError(.databaseUnavailable, "PostgreSQL is out of reach: \(error.message)")
        }
    }

    /// Runs `body` on one consistent read-only snapshot. Its `COMMIT` is not waited for here
    /// (nothing was written): the connection's next user waits for it first.
    func snapshot<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try withSession(attempts: 3, retryingIf: Self.isStalePlan) { session in
            let (value, pending) = try session.readOnly(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try body(session)
            }
            return (value, pending)
        }
    }

    /// Runs `body` with a connection of its own, outside any transaction.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withPooledConnection { connection, _ in (try body(connection), nil) }
    }

    /// Runs `body` with a connection of its own and its named statements; it returns its result
    /// and the statement it leaves running, which the connection's next user waits for.
    private func withPooledConnection<T>(
        _ body: (PostgresConnection, PreparedStatements) throws -> (T, pending: EventLoopFuture<PostgresQueryResult>?)
    ) throws -> T {
        guard slots.wait(timeout: .now() + Self.acquireTimeout) == .success else {
            throw RefGateError(
                .storageFailed,
                "no PostgreSQL connection free within \(Int(Self.acquireTimeout)) s (database.postgres.connections is \(maxConnections))"
            )
        }
        defer { slots.signal() }
        let (connection, statements) = try checkOut()
        do {
            let (result, pending) = try body(connection, statements)
            checkIn(connection, statements, pending: pending)
            return result
        } catch {
            checkIn(connection, statements, pending: nil)
            throw error
        }
    }

    private func checkOut() throws -> (PostgresConnection, PreparedStatements) {
        let reused = try pool.withLock { pool -> Idle? in
            guard !pool.closed else {
                throw RefGateError(.storageFailed, "the store is closed")
            }
            if let idle = pool.idle.popLast() { return idle }
            pool.open += 1
            return nil
        }
        if let reused {
            // A read-only COMMIT left running has almost always finished by now; if it failed,
            // the connection is not trusted again.
            let committed = reused.pending.map { (try? $0.wait()) != nil } ?? true
            if committed, !reused.connection.isClosed {
                let generation = statementGeneration.load(ordering: .relaxed)
                if reused.statements.generation == generation { return (reused.connection, reused.statements) }
                // Its statements are from before a table changed: dropped before it is used.
                let dropped = try? reused.connection.query(PostgresQuery(unsafeSQL: "DEALLOCATE ALL"), logger: logger)
                    .wait()
                if dropped != nil { return (reused.connection, PreparedStatements(generation: generation)) }
            }
            _ = try? reused.connection.close().wait()
        }
        do {
            return (try connect(), PreparedStatements(generation: statementGeneration.load(ordering: .relaxed)))
        } catch {
            pool.withLock { $0.open -= 1 }
            throw RefGateError(
                .databaseUnavailable,
                "cannot connect to PostgreSQL at \(settings.displayName): \(Self.describe(error))")
        }
    }

    /// A new connection, outside the pool.
    func connect() throws -> PostgresConnection {
        let id = nextID.add(1, ordering: .relaxed).newValue
        return try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: id, logger: logger
        ).wait()
    }

    private func checkIn(
        _ connection: PostgresConnection, _ statements: PreparedStatements,
        pending: EventLoopFuture<PostgresQueryResult>?
    ) {
        // A statement prepared before a table changed under it (another instance upgraded the
        // schema) was refused, whether its write failed or only its savepoint: every
        // connection's statements are dropped, and prepared afresh when next used.
        if statements.sawStalePlan {
            logger.notice("a table changed under the prepared statements; preparing them again")
            statementGeneration.add(1, ordering: .relaxed)
        }
        let keep = pool.withLock { pool -> Bool in
            guard !pool.closed, !connection.isClosed else {
                pool.open -= 1
                return false
            }
            pool.idle.append(Idle(connection: connection, statements: statements, pending: pending))
            return true
        }
        if !keep { _ = try? connection.close().wait() }
    }

    /// Closes every connection and stops the engine's threads.
    func shutdown() {
        releaseLeadership()
        let idle = pool.withLock { pool -> [PostgresConnection] in
            pool.closed = true
            defer { pool.idle = [] }
            return pool.idle.map(\.connection)
        }
        for connection in idle { _ = try? connection.close().wait() }
        try? threads.syncShutdownGracefully()
    }

    deinit {
        let leaderConnection = leadership.withLock { $0.connection }
        for connection in pool.withLock({ $0.idle.map(\.connection) }) + (leaderConnection.map { [$0] } ?? []) {
            let closing: EventLoopFuture<Void> = connection.close()
            // postgres-nio asserts that a connection is closed before it goes; waiting is not
            // allowed on an event loop (nothing of the store's runs there).
            if MultiThreadedEventLoopGroup.currentEventLoop == nil { _ = try? closing.wait() }
        }
        threads.shutdownGracefully { _ in }
    }

    /// Whether every commit waits for the server's WAL flush (`synchronous_commit = on`).
    func synchronousCommit() throws -> Bool {
        try snapshot { session in
            (try session.query("SELECT current_setting('synchronous_commit') AS value", []).first?["value"] as String?)
                == "on"
        }
    }

    /// Whether PostgreSQL aborted the transaction for another's sake (run it again).
    static func isRetryable(_ error: any Error) -> Bool {
        guard let state = sqlState(error) else { return false }
        return state == "40001" || state == "40P01" || isStalePlan(error)
    }

    /// Whether a prepared statement's plan no longer fits the schema ("cached plan must not
    /// change result type", SQLSTATE 0A000): the table changed under it, and it runs again
    /// on a new connection.
    static func isStalePlan(_ error: any Error) -> Bool {
        sqlState(error) == "0A000" && (error as? SQLStatementError)?.message.contains("cached plan") == true
    }

    /// Whether a write failed only because a concurrent transaction won a race (a unique key
    /// it committed first, a serialization failure, a deadlock), or a table changed under its
    /// prepared statements: run again, it sees the winner (or prepares them afresh).
    static func lostRace(_ error: any Error) -> Bool {
        guard let state = sqlState(error) else { return false }
        return state == "23505" || state == "40001" || state == "40P01" || isStalePlan(error)
    }

    /// The SQLSTATE of a server error.
    static func sqlState(_ error: any Error) -> String? {
        (error as? SQLStatementError)?.sqlState ?? (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// A server error's message and code, or the error.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError, let info = error.serverInfo {
            return "\(info[.message] ?? "error") (SQLSTATE \(info[.sqlState] ?? "?"))"
        }
        return "\(error)"
    }
}
