import Crypto
import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust
import ServiceLifecycle

/// Takes the scheduled backups (`backup` in the configuration): one every interval, from the
/// running store (SQLite's backup API, while the node keeps writing), into the folder, keeping
/// the newest few. A failed backup is logged and tried again with backoff.
public struct BackupService: Service {
    let settings: BackupSettings
    let configuration: NodeConfiguration
    let configurationPath: String?
    let store: Store
    let clock: any NodeClock
    /// Woken at shutdown.
    let signal: WakeSignal
    let logger: Logger

    /// Runs until graceful shutdown.
    public func run() async throws {
        let interval = Duration.seconds(settings.interval)
        await PeriodicLoop(name: "scheduled backup", signal: signal, logger: logger).run(
            first: interval,
            round: { [self] in
                let path = try takeOne()
                logger.notice("backup taken", metadata: ["file": "\(path)"])
                return interval
            })
    }

    /// Takes one backup now and prunes the folder; returns its path.
    @discardableResult
    public func takeOne() throws -> String {
        try Self.prepare(folder: settings.folder)
        let recipient = try settings.sealTo.map(NodeBackup.operatorKey)
        let now = clock.now()
        let path = (settings.folder as NSString).appendingPathComponent(Self.fileName(configuration.authority, now))
        _ = try NodeBackup.take(
            configurationPath: configurationPath, configuration: configuration, store: store, recipient: recipient,
            to: path, now: now)
        try prune()
        return path
    }

    /// `refgate-E08000003-20261204T170000.123Z.backup`: sorts by time.
    static func fileName(_ authority: AuthorityID, _ instant: Date) -> String {
        let stamp = MessageCoding.formatInstant(instant).replacingOccurrences(of: "-", with: "")
            .replacingOccurrences(of: ":", with: "")
        return "refgate-\(authority.rawValue)-\(stamp).backup"
    }

    /// Deletes all but the newest `keep` of this node's backups in the folder.
    func prune() throws {
        let prefix = "refgate-\(configuration.authority.rawValue)-"
        let names = try FileManager.default.contentsOfDirectory(atPath: settings.folder)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".backup") }.sorted()
        for name in names.dropLast(settings.kept) {
            try FileManager.default.removeItem(atPath: (settings.folder as NSString).appendingPathComponent(name))
        }
    }

    static func prepare(folder: String) throws {
        guard !FileManager.default.fileExists(atPath: folder) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RefGateError(.configurationInvalid, "backup.folder: cannot create \(folder): \(error)")
        }
    }
}
