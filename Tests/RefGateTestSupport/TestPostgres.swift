import Foundation
import Synchronization

/// A real PostgreSQL server for the tests, on a loopback port, in a temporary folder.
///
/// The first test that asks starts it (`initdb`, then `pg_ctl start`), and it is stopped when
/// the test process exits. `REFGATE_TEST_POSTGRES=host:port` uses a server the test command
/// started instead (`scripts/test` does, so every suite shares one). Each test gets a database
/// of its own (`database()`), so tests running side by side never see each other's rows.
/// Everything waits a bounded time: a server that does not come up fails the test that asked.
public enum TestPostgres {
    /// The server's address.
    public struct Server: Sendable {
        /// Loopback host.
        public var host: String
        /// TCP port.
        public var port: Int
        /// Superuser to connect as (trust authentication on loopback).
        public var user: String
    }

    private static let started = Mutex<Result<Server, TestPostgresError>?>(nil)
    private static let counter = Atomic<Int>(0)

    /// Where PostgreSQL's programs are (Debian's `postgresql` package).
    public static var binaries: String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
    }

    /// The running server, started now if it is not yet.
    public static func server() throws -> Server {
        try started.withLock { state -> Result<Server, TestPostgresError> in
            if let state { return state }
            let result = Result { try start() }.mapError { $0 as? TestPostgresError ?? TestPostgresError("\($0)") }
            state = result
            return result
        }.get()
    }

    /// A new, empty database on the server, and the server.
    public static func database(_ prefix: String = "refgate") throws -> (server: Server, name: String) {
        let server = try server()
        let name = "\(prefix)_\(getpid())_\(counter.add(1, ordering: .relaxed).newValue)"
        try psql(server, "CREATE DATABASE \(name)")
        return (server, name)
    }

    /// Runs one SQL command as the superuser.
    @discardableResult
    public static func psql(_ server: Server, _ sql: String, database: String = "postgres") throws -> String {
        guard let binaries else { throw TestPostgresError("PostgreSQL is not installed (apt-get install postgresql)") }
        let result = try ExternalTool.run(
            [
                "\(binaries)/psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", server.host, "-p",
                "\(server.port)", "-U", server.user, "-d", database, "-c", sql,
            ], timeout: .seconds(60))
        guard result.status == 0 else { throw TestPostgresError("psql \(sql): \(result.combined)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func start() throws -> Server {
        if let given = ProcessInfo.processInfo.environment["REFGATE_TEST_POSTGRES"], !given.isEmpty {
            let parts = given.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else {
                throw TestPostgresError("REFGATE_TEST_POSTGRES is \(given), not host:port")
            }
            return Server(host: String(parts[0]), port: port, user: "postgres")
        }
        guard let binaries else {
            throw TestPostgresError("PostgreSQL is not installed: apt-get install postgresql (scripts/setup does)")
        }
        let folder = NSTemporaryDirectory() + "refgate-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // initdb refuses to run as root: the server runs as the `postgres` account then.
        let asRoot = getuid() == 0
        if asRoot {
            let owner = try ExternalTool.run(["chown", "postgres:postgres", folder])
            guard owner.status == 0 else { throw TestPostgresError("chown: \(owner.combined)") }
        }
        func asServer(_ arguments: [String]) throws -> ExternalTool.Result {
            try ExternalTool.run(
                asRoot ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] + arguments : arguments,
                timeout: .seconds(120))
        }
        let data = folder + "/data"
        let initdb = try asServer([
            "\(binaries)/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions",
        ])
        guard initdb.status == 0 else { throw TestPostgresError("initdb: \(initdb.combined)") }
        var lastError = ""
        for _ in 0..<5 {
            let port = Int.random(in: 20_000...60_000)
            let options =
                "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder) -c max_connections=200 -c fsync=on -c synchronous_commit=on"
            // Through a shell with its output in a file: the server it leaves running must not
            // hold this process's pipes open (reading them would then never end).
            let command =
                "'\(binaries)/pg_ctl' -D '\(data)' -l '\(folder)/server.log' -o '\(options)' -w -t 60 start > '\(folder)/pg_ctl.log' 2>&1 < /dev/null"
            let status = try shell(
                asRoot ? "setpriv --reuid=postgres --regid=postgres --init-groups \(command)" : command)
            if status == 0 {
                let server = Server(host: "127.0.0.1", port: port, user: "postgres")
                stopAtExit(binaries: binaries, data: data, folder: folder, asRoot: asRoot)
                return server
            }
            lastError =
                ((try? String(contentsOfFile: folder + "/pg_ctl.log", encoding: .utf8)) ?? "")
                + ((try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "")
        }
        throw TestPostgresError("pg_ctl start failed five times: \(lastError)")
    }

    /// Runs `command` with `/bin/sh` and waits at most two minutes for it, without Foundation's
    /// `Process`: it does not notice its child exit when that child leaves a daemon behind (the
    /// server `pg_ctl start` starts), so its wait never ends.
    private static func shell(_ command: String) throws -> Int32 {
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard spawned == 0 else {
            throw TestPostgresError("cannot start /bin/sh: \(String(cString: strerror(spawned)))")
        }
        let deadline = ContinuousClock.now + .seconds(120)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw TestPostgresError("\(command) did not finish within two minutes")
            }
            usleep(20_000)
        }
        // Exited normally: its status; killed by a signal: 128 + the signal, as shells say.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static let stopCommand = Mutex<[String]>([])

    private static func stopAtExit(binaries: String, data: String, folder: String, asRoot: Bool) {
        let stop = ["\(binaries)/pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]
        stopCommand.withLock {
            $0 =
                (asRoot ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] + stop : stop) + [folder]
        }
        atexit {
            let command = TestPostgres.stopCommand.withLock { $0 }
            guard let folder = command.last else { return }
            let stop = Process()
            stop.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            stop.arguments = Array(command.dropLast())
            stop.standardOutput = FileHandle.nullDevice
            stop.standardError = FileHandle.nullDevice
            if (try? stop.run()) != nil { stop.waitUntilExit(timeout: .seconds(40)) }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}

/// The test server could not be started or used.
public struct TestPostgresError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
