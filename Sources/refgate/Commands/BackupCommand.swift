import ArgumentParser
import Crypto
import Foundation
import RefGateCore
import RefGateNode
import RefGateTrust

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take an online, consistent backup of a node (it may keep running).",
        discussion: """
            The database is copied through SQLite's backup API (never a file copy of a live database), with the \
            configuration file, certificates and directory, and a manifest naming the audit log's size and newest \
            signed tree head. With --seal-to, the backup is sealed (HPKE, P-256, AES-256-GCM) to an operator's \
            public key and also holds the node's private keys.
            """)

    @Option(help: "The node's configuration file.") var config: String
    @Option(help: "The backup file to write (a new file; mode 0600).") var out: String
    @Option(help: "An operator's P-256 public key (PEM) to seal the backup to.") var sealTo: String?

    func run() async throws {
        let configuration = try NodeConfiguration.load(path: config)
        let recipient = try sealTo.map(NodeBackup.operatorKey)
        let started = Date()
        let manifest = try NodeBackup.take(
            configurationPath: config, configuration: configuration, recipient: recipient, to: out, now: started)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
        print(
            "wrote \(out): \(bytes) bytes in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; "
                + "\(manifest.database.cases) cases, \(manifest.database.messages) messages, "
                + "audit log at \(manifest.database.auditEntries) entries"
                + (recipient == nil ? "" : "; sealed, with the node's keys"))
    }
}
