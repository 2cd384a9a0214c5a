import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import Testing

extension CLITests {
    /// Moving an authority: a node that exchanged on SQLite is stopped, copied into PostgreSQL
    /// (refused while it runs and into a store that is not empty), runs and exchanges on
    /// PostgreSQL, and is copied back into a new SQLite file; each copy counts every table on
    /// both sides and verifies the target's audit log.
    @Test func aStoppedNodeMovesToPostgreSQLAndBack() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (configA, configB) = try Self.region(in: folder)
        var nodeA = try NodeProcess(binary: Self.binary, config: configA, log: folder.file("a.log"))
        let nodeB = try NodeProcess(binary: Self.binary, config: configB, log: folder.file("b.log"))
        try await nodeA.waitUntilReady()
        try await nodeB.waitUntilReady()
        let first = try Self.sendRequest(config: configA)
        let firstCase = try #require(first.output.split(separator: " ").dropFirst().first.map(String.init))
        try await Self.until("Salford has the request") {
            try Self.refgate("request", "list", "--config", configB, "--side", "responder").output.contains(firstCase)
        }

        let (server, database) = try TestPostgres.database()
        let onPostgres = try Self.configuration(
            configA,
            database: [
                "postgres": [
                    "host": server.host, "port": server.port, "user": server.user,
                    "database": database, "tls": ["mode": "disable"],
                ]
            ], as: folder.file("a-postgres.json"))
        Self.expectUserError(
            try Self.refgate("store", "copy", "--from", configA, "--to", onPostgres), mentions: "stop it first")
        #expect(nodeA.terminate() == 0)

        let copied = try Self.refgate("store", "copy", "--from", configA, "--to", onPostgres)
        #expect(copied.status == 0, "\(copied.combined)")
        #expect(copied.output.contains("every table's count matches; audit log verified"), "\(copied.output)")
        #expect(copied.output.contains("cases: 1 → 1"), "\(copied.output)")
        // The target's audit log has one entry more than the source's: the copy's own.
        let auditLine = try #require(copied.output.split(separator: "\n").first { $0.hasPrefix("audit_log: ") })
        let auditCounts = auditLine.dropFirst("audit_log: ".count).split(separator: " → ").compactMap { Int($0) }
        #expect(auditCounts.count == 2 && auditCounts[1] == auditCounts[0] + 1, "\(auditLine)")
        do {
            let store = try Store(
                .postgres(
                    PostgresSettings(
                        host: server.host, port: server.port, user: server.user, database: database,
                        tls: .init(mode: "disable"))))
            defer { store.closeConnections() }
            let entry = try #require(try await store.read { try $0.latestAuditEntry(.storeCopied) })
            #expect(entry.subject?.contains("refgate.sqlite") == true, "\(entry)")
            #expect(entry.actor?.role == "operator at the console")
        }
        Self.expectUserError(
            try Self.refgate("store", "copy", "--from", configA, "--to", onPostgres), mentions: "not empty")

        // The node runs on PostgreSQL: it has its first case and sends a second.
        nodeA = try NodeProcess(binary: Self.binary, config: onPostgres, log: folder.file("a-postgres.log"))
        try await nodeA.waitUntilReady()
        #expect(try Self.refgate("request", "list", "--config", onPostgres).output.contains(firstCase))
        let second = try Self.sendRequest(config: onPostgres)
        #expect(second.status == 0, "\(second.combined)")
        let secondCase = try #require(second.output.split(separator: " ").dropFirst().first.map(String.init))
        try await Self.until("Salford has the second request") {
            try Self.refgate("request", "list", "--config", configB, "--side", "responder").output.contains(
                secondCase)
        }
        try await Self.until("Manchester has Salford's receipt for it") {
            try Self.refgate("deliveries", "--config", onPostgres).output.contains("pending 0")
                || Self.refgate("case", "show", "--config", onPostgres, "--case", secondCase).output.contains(
                    "receipted")
        }
        #expect(nodeA.terminate() == 0)
        let verified = try Self.refgate("audit", "verify", "--config", onPostgres)
        #expect(verified.status == 0, "\(verified.combined)")

        let back = try Self.configuration(
            configA, database: folder.file("back/refgate.sqlite"), as: folder.file("a-back.json"))
        let returned = try Self.refgate("store", "copy", "--from", onPostgres, "--to", back)
        #expect(returned.status == 0, "\(returned.combined)")
        #expect(returned.output.contains("cases: 2 → 2"), "\(returned.output)")
        _ = nodeB
    }

    /// PostgreSQL settings a node cannot use are refused at load, each saying what to change:
    /// a password in the URL, a TLS mode it does not know, and scheduled SQLite backups.
    @Test func postgreSQLSettingsThatCannotWorkAreRefusedWithTheFix() throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (configA, _) = try Self.region(in: folder)
        let cases: [(Any, String)] = [
            (["postgres": ["url": "postgres://refgate:secret@db.example/refgate"]], "passwordFile"),
            (["postgres": ["host": "db.example", "user": "refgate", "tls": ["mode": "maybe"]]], "disable, require"),
            (["postgres": ["user": "refgate"]], "needs a host"),
        ]
        for (index, (database, mentions)) in cases.enumerated() {
            let config = try Self.configuration(configA, database: database, as: folder.file("bad-\(index).json"))
            // `config check` lists the problems it finds on standard output.
            let checked = try Self.refgate("config", "check", "--config", config)
            #expect(checked.status != 0 && checked.output.contains(mentions), "\(checked.combined)")
            #expect(!checked.combined.contains("secret"), "the password is never repeated")
        }
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configA))) as? [String: Any])
        object["backup"] = ["folder": folder.file("backups")]
        let withBackup = folder.file("with-backup.json")
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: withBackup))
        let config = try Self.configuration(
            withBackup, database: ["postgres": ["host": "127.0.0.1", "user": "refgate"]],
            as: folder.file("pg-backup.json"))
        let checked = try Self.refgate("config", "check", "--config", config)
        #expect(checked.status != 0 && checked.output.contains("pg_dump"), "\(checked.combined)")
    }

    /// A copy of the configuration at `path` with `database` replaced, written to `to`.
    static func configuration(_ path: String, database: Any, as to: String) throws -> String {
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["database"] = database
        // Relative paths in the copy resolve against its own folder: make the others absolute.
        let folder = (path as NSString).deletingLastPathComponent
        for (key, value) in object {
            if let file = value as? String, key != "authority", key != "name",
                FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(file))
            {
                object[key] = (folder as NSString).appendingPathComponent(file)
            }
        }
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(
            to: URL(fileURLWithPath: to))
        return to
    }
}
