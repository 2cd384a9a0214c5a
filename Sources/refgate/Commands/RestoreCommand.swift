import ArgumentParser
import Crypto
import Foundation
import RefGateCore
import RefGateNode
import RefGateTrust

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into the place of a stopped node.",
        discussion: """
            The database is replaced (only with --force if one exists), carried forward by this release's \
            migrations, and the restore is recorded in its audit log. --with-files also writes the certificates, \
            directory and (from a sealed backup) keys that are missing.
            """)

    @Option(help: "The node's configuration file.") var config: String
    @Option(help: "The backup file.") var from: String
    @Option(help: "The operator's private key (PEM), for a sealed backup.") var key: String?
    @Flag(help: "Replace an existing database.") var force = false
    @Flag(help: "Also write the missing certificates, directory and keys.") var withFiles = false

    func run() async throws {
        let configuration = try NodeConfiguration.load(path: config)
        let privateKey = try key.map { path in
            let text = try PEMFile.readSecret(path, what: "operator's private key")
            guard let key = try? P256.KeyAgreement.PrivateKey(pemRepresentation: text) else {
                throw RefGateError(.invalidInput, "\(path) is not a P-256 private key in PEM")
            }
            return key
        }
        let restored = try await NodeBackup.restore(
            from: from, key: privateKey, configuration: configuration, force: force, withFiles: withFiles, now: Date(),
            // Restoring is done at the machine's console: the audit log names that account.
            by: AuditActor(name: ProcessInfo.processInfo.userName, role: "operator at the console"))
        let manifest = restored.manifest
        print(
            "restored \(configuration.database) from the backup of \(MessageCoding.formatInstant(manifest.takenAt)) "
                + "(release \(manifest.release)): \(manifest.database.cases) cases, \(manifest.database.messages) messages, "
                + "audit log at \(manifest.database.auditEntries) entries; \(restored.migrationsApplied) migrations applied"
        )
        for file in restored.filesWritten { print("wrote \(file)") }
        print(
            "messages exchanged after \(MessageCoding.formatInstant(manifest.takenAt)) are not in it: peers hold them (see docs/OPERATING.md, Backup and restore)"
        )
    }
}
