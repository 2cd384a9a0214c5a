import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import Testing

extension CLITests {
    /// Backup and restore as an operator runs them: an online backup while the node runs and
    /// exchanges, the database destroyed, restored into the stopped node's place (refused while
    /// it runs, and over a database without --force), the node started again on it, its audit
    /// log verified with the restore recorded; then a backup sealed to an operator's key.
    @Test func anOnlineBackupRestoresIntoAStoppedNodesPlace() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (configA, configB) = try Self.region(in: folder)
        let configuration = try NodeConfiguration.load(path: configA)
        var nodeA = try NodeProcess(binary: Self.binary, config: configA, log: folder.file("a.log"))
        let nodeB = try NodeProcess(binary: Self.binary, config: configB, log: folder.file("b.log"))
        try await nodeA.waitUntilReady()
        try await nodeB.waitUntilReady()
        let first = try Self.sendRequest(config: configA)
        #expect(first.status == 0, "\(first.combined)")
        let firstCase = try #require(first.output.split(separator: " ").dropFirst().first.map(String.init))

        let backup = folder.file("a-backup.zip")
        let taken = try Self.refgate("backup", "--config", configA, "--out", backup)
        #expect(taken.status == 0 && taken.output.contains("1 cases"), "\(taken.combined)")
        let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        Self.expectUserError(
            try Self.refgate("backup", "--config", configA, "--out", backup), mentions: "exists already")
        Self.expectUserError(
            try Self.refgate("restore", "--config", configA, "--from", backup, "--force"),
            mentions: "stop it first")

        // More work after the backup: Salford answers the first request, Manchester sends a
        // second; then Manchester's disk is lost.
        try await Self.until("the first request arrives") {
            try Self.refgate("request", "list", "--config", configB, "--side", "responder").output.contains(firstCase)
        }
        let answered = try Self.refgate(
            "respond", "--config", configB, "--case", firstCase, "--outcome", "verified", "--authored-by-referee",
            "true", "--referee-actual-role", "Service Manager", "--placement-dates-confirmed", "true",
            "--responder-name", "Sam Okafor", "--responder-role", "service-manager")
        #expect(answered.status == 0, "\(answered.combined)")
        let second = try Self.sendRequest(config: configA)
        let secondCase = try #require(second.output.split(separator: " ").dropFirst().first.map(String.init))
        try await Self.until("Manchester has the answer and Salford the second request") {
            try Self.refgate("case", "show", "--config", configA, "--case", firstCase).output.contains(
                "status     verified")
                && Self.refgate("request", "list", "--config", configB, "--side", "responder").output.contains(
                    secondCase)
        }
        #expect(nodeA.terminate() == 0)
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: configuration.database.description + suffix)
        }

        let restored = try Self.refgate("restore", "--config", configA, "--from", backup)
        #expect(restored.status == 0 && restored.output.contains("restored"), "\(restored.combined)")
        Self.expectUserError(
            try Self.refgate("restore", "--config", configA, "--from", backup), mentions: "add --force")

        nodeA = try NodeProcess(binary: Self.binary, config: configA, log: folder.file("a2.log"))
        try await nodeA.waitUntilReady()
        let before = try Self.refgate("request", "list", "--config", configA)
        #expect(before.output.contains(firstCase) && !before.output.contains(secondCase), "\(before.combined)")
        #expect(
            try Self.refgate("case", "show", "--config", configA, "--case", firstCase).output.contains(
                "status     awaiting-response"), "the backup is from before the answer")

        // Recovery from the peer: both messages exchanged after the backup come back.
        let recovered = try Self.refgate("recover", "--config", configA)
        #expect(recovered.status == 0 && recovered.output.contains("E08000006  applied 2"), "\(recovered.combined)")
        let after = try Self.refgate("request", "list", "--config", configA)
        #expect(after.output.contains(firstCase) && after.output.contains(secondCase), "\(after.combined)")
        #expect(
            try Self.refgate("case", "show", "--config", configA, "--case", firstCase).output.contains(
                "status     verified"))
        let again = try Self.refgate("recover", "--config", configA, "--json")
        #expect(again.status == 0 && again.output.contains("\"applied\" : 0"), "\(again.combined)")
        // Both sides agree on every case.
        for caseID in [firstCase, secondCase] {
            let mine = try Self.refgate("case", "show", "--config", configA, "--case", caseID).output
            let theirs = try Self.refgate("case", "show", "--config", configB, "--case", caseID).output
            let status = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("status") } }
            #expect(status(mine) != nil && status(mine) == status(theirs), "\(mine)\n\(theirs)")
        }
        #expect(nodeA.terminate() == 0)
        #expect(nodeB.terminate() == 0)
        let audit = try Self.refgate("audit", "verify", "--config", configA)
        #expect(audit.status == 0 && audit.output.contains("verified in"), "\(audit.combined)")
        let actions = try Store(configuration.database).readSync { reader in
            try reader.auditRows().compactMap { try? AuditEntry.decode($0.entry).action }
        }
        #expect(actions.filter { $0 == .backupRestored }.count == 1, "the restore is in the audit log")
        #expect(actions.contains(.recoveryApplied), "and the recovery")
        let recoveries = try Store(configuration.database).readSync { reader in
            try reader.auditRows().compactMap { try? AuditEntry.decode($0.entry) }.filter {
                $0.action == .recoveryApplied
            }
        }
        #expect(recoveries.allSatisfy { $0.actor != nil }, "with who asked for it")
        let restores = try Store(configuration.database).readSync { reader in
            try reader.auditRows().compactMap { try? AuditEntry.decode($0.entry) }.filter {
                $0.action == .backupRestored
            }
        }
        #expect(restores.first?.actor?.name == ProcessInfo.processInfo.userName, "and who restored")

        // Sealed to an operator's key: it holds the keys too, and only that key opens it.
        let operatorKey = folder.file("operator.key")
        let operatorPub = folder.file("operator.pub")
        #expect(
            try ExternalTool.run([
                "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", operatorKey,
            ]).status == 0)
        chmod(operatorKey, 0o600)
        #expect(
            try ExternalTool.run(["openssl", "ec", "-in", operatorKey, "-pubout", "-out", operatorPub]).status == 0)
        let sealed = folder.file("a-sealed.bin")
        let sealedRun = try Self.refgate("backup", "--config", configA, "--out", sealed, "--seal-to", operatorPub)
        #expect(
            sealedRun.status == 0 && sealedRun.output.contains("sealed, with the node's keys"), "\(sealedRun.combined)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sealed))
        #expect(bytes.range(of: Data("refgate.sqlite".utf8)) == nil, "nothing readable without the key")
        Self.expectUserError(
            try Self.refgate("restore", "--config", configA, "--from", sealed, "--force"), mentions: "--key")
        try FileManager.default.removeItem(atPath: configuration.signKey)
        let opened = try Self.refgate(
            "restore", "--config", configA, "--from", sealed, "--key", operatorKey, "--force", "--with-files")
        #expect(opened.status == 0 && opened.output.contains("wrote \(configuration.signKey)"), "\(opened.combined)")
        let keyMode = try FileManager.default.attributesOfItem(atPath: configuration.signKey)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
    }
}
