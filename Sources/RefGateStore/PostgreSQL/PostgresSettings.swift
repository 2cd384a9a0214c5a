import Foundation
import RefGateCore

/// Where a node's PostgreSQL database is and how to reach it (`"database": {"postgres": {…}}`).
///
/// Either `url` (`postgres://user@host:port/database`, no password in it) or `host`, `port`,
/// `user` and `database`. The password is read from `passwordFile` (mode 0600), never from the
/// configuration itself, so a configuration can be shown and kept in version control.
public struct PostgresSettings: Codable, Sendable, Hashable {
    /// `postgres://user@host:port/database`.
    public var url: String?
    /// Server host name or address.
    public var host: String?
    /// Server port (default 5432).
    public var port: Int?
    /// Role to connect as.
    public var user: String?
    /// Database name (default: the user's name).
    public var database: String?
    /// File holding the role's password (owner-only).
    public var passwordFile: String?
    /// TLS to the server.
    public var tls: TLS?
    /// Connections each instance opens at most (default 8).
    public var connections: Int?
    /// Write transactions each instance runs at once, each grouping many writes (default 4,
    /// at most half the connections, so that reads always find one).
    public var writers: Int?
    /// Whether each connection prepares the store's statements once and binds them afterwards
    /// (default true). False sends every statement unnamed, for a pooler that hands one server
    /// connection to many clients' transactions (PgBouncer in transaction mode before 1.21).
    public var preparedStatements: Bool?

    /// The writer lanes in force.
    var writerLanes: Int { max(1, min(writers ?? 4, max(1, (connections ?? 8) / 2))) }

    /// TLS to the server: `disable`, or `require` (the default for a server not on loopback),
    /// which verifies the server's certificate against `caCertificate` (or the system's roots)
    /// and its name.
    public struct TLS: Codable, Sendable, Hashable {
        /// `disable` or `require`.
        public var mode: String
        /// The CA that issued the server's certificate (PEM).
        public var caCertificate: String?

        /// Creates TLS settings.
        public init(mode: String, caCertificate: String? = nil) {
            self.mode = mode
            self.caCertificate = caCertificate
        }
    }

    /// Settings for a server on `host`.
    public init(
        host: String, port: Int = 5432, user: String, database: String, passwordFile: String? = nil,
        tls: TLS? = nil, connections: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.passwordFile = passwordFile
        self.tls = tls
        self.connections = connections
    }

    /// The parts, from `url` or the separate settings.
    public func endpoint() throws -> (host: String, port: Int, user: String, database: String) {
        var host = self.host
        var port = self.port
        var user = self.user
        var database = self.database
        if let url {
            guard let components = URLComponents(string: url),
                components.scheme == "postgres" || components.scheme == "postgresql", components.host != nil
            else {
                // Not repeated: a malformed URL may still hold a password.
                throw RefGateError(
                    .configurationInvalid, "database.postgres.url is not postgres://user@host:port/database")
            }
            guard components.password == nil else {
                throw RefGateError(
                    .configurationInvalid,
                    "database.postgres.url has a password in it: put the password in a file named by database.postgres.passwordFile"
                )
            }
            host = host ?? components.host
            port = port ?? components.port
            user = user ?? components.user
            let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if database == nil && !path.isEmpty { database = path }
        }
        guard let host, !host.isEmpty else {
            throw RefGateError(.configurationInvalid, "database.postgres needs a host (or a url)")
        }
        guard let user, !user.isEmpty else {
            throw RefGateError(.configurationInvalid, "database.postgres needs a user (or a url naming one)")
        }
        let chosenPort = port ?? 5432
        guard (1...65535).contains(chosenPort) else {
            throw RefGateError(.configurationInvalid, "database.postgres.port \(chosenPort) is not a TCP port")
        }
        return (host, chosenPort, user, database ?? user)
    }

    /// The password from `passwordFile` (its last line ending removed), nil without one.
    public func password() throws -> String? {
        guard let passwordFile else { return nil }
        guard let data = FileManager.default.contents(atPath: passwordFile) else {
            throw RefGateError(
                .configurationInvalid,
                "cannot read database.postgres.passwordFile \(passwordFile): check the path and that this user may read it"
            )
        }
        var password = String(decoding: data, as: UTF8.self)
        while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
        return password
    }

    /// Whether TLS is used: as set, else not on loopback and required elsewhere.
    public func usesTLS(host: String) throws -> Bool {
        switch tls?.mode {
        case "disable": return false
        case "require": return true
        case nil: return !(host == "localhost" || host == "::1" || host.hasPrefix("127."))
        case let other?:
            throw RefGateError(
                .configurationInvalid, "database.postgres.tls.mode \(other) is not one of: disable, require")
        }
    }

    /// `user@host:port/database`, for logs (no password).
    public var displayName: String {
        guard let (host, port, user, database) = try? endpoint() else { return "postgres" }
        return "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// Makes file paths absolute against `base`.
    public mutating func resolvePaths(relativeTo base: String) {
        let absolute: (String) -> String = { path in
            path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        }
        passwordFile = passwordFile.map(absolute)
        if var tls {
            tls.caCertificate = tls.caCertificate.map(absolute)
            self.tls = tls
        }
    }
}
