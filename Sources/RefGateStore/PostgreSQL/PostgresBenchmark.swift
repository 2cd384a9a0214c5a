import Foundation
import Logging
import RefGateCore

/// What `refgate bench` needs of a PostgreSQL server beyond a store: fresh databases, and the
/// engine's own durable commit rate to set the store's figures against.
public enum PostgresBenchmark {
    /// Settings for `url` (`postgres://user@host:port/database`, no TLS: a server on this machine).
    public static func settings(url: String, connections: Int? = nil) -> PostgresSettings {
        var settings = PostgresSettings(host: "", user: "", database: "")
        (settings.host, settings.user, settings.database, settings.port) = (nil, nil, nil, nil)
        settings.url = url
        settings.tls = .init(mode: "disable")
        settings.connections = connections
        return settings
    }

    /// Creates the database `name` on the server `serverURL` reaches (its user may create
    /// databases) and returns the URL of the new database.
    public static func createDatabase(serverURL: String, name: String) throws -> String {
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw RefGateError(.invalidInput, "a database name of letters, digits and _ only: \(name)")
        }
        let engine = try PostgresEngine(settings: settings(url: serverURL), logger: Logger(label: "bench"))
        defer { engine.shutdown() }
        try engine.withConnection { connection in
            try PostgresSession(connection: connection, logger: engine.logger).execute(raw: "CREATE DATABASE \(name)")
        }
        guard var components = URLComponents(string: serverURL) else {
            throw RefGateError(.invalidInput, "not a postgres:// URL: \(serverURL)")
        }
        components.path = "/" + name
        return components.string ?? serverURL
    }

    /// Single-row INSERT transactions, each committed durably (`synchronous_commit = on`), from
    /// `connections` connections at once, `count` in all, into a table of their own in the
    /// database `url` names: commits per second. What PostgreSQL itself does, with nothing of
    /// refgate's work around it.
    public static func commitRate(url: String, connections: Int, count: Int) throws -> Double {
        let engine = try PostgresEngine(
            settings: settings(url: url, connections: connections), logger: Logger(label: "bench"))
        defer { engine.shutdown() }
        try engine.withConnection { connection in
            try PostgresSession(connection: connection, logger: engine.logger).execute(
                raw: "CREATE TABLE IF NOT EXISTS refgate_commit_floor (n BIGINT NOT NULL, at BIGINT NOT NULL)")
        }
        let perConnection = max(1, count / connections)
        let failure = ErrorBox()
        let start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: connections) { worker in
            do {
                try engine.withConnection { connection in
                    let session = PostgresSession(connection: connection, logger: engine.logger)
                    for index in 0..<perConnection {
                        _ = try session.query(
                            "INSERT INTO refgate_commit_floor (n, at) VALUES (?, ?)",
                            [worker * perConnection + index, Date().epochMilliseconds])
                    }
                }
            } catch {
                failure.set(error)
            }
        }
        if let error = failure.error { throw error }
        return Double(perConnection * connections) / (ContinuousClock.now - start).seconds
    }
}

/// The first error of concurrent workers.
private final class ErrorBox: @unchecked Sendable {
    // Guarded by `lock`; `concurrentPerform` writes it from several threads.
    private let lock = NSLock()
    private var stored: (any Error)?

    func set(_ error: any Error) { lock.withLock { if stored == nil { stored = error } } }
    var error: (any Error)? { lock.withLock { stored } }
}

extension Duration {
    fileprivate var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
