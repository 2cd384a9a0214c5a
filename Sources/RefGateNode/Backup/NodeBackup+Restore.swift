import Crypto
import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust
import ZIPFoundation

extension NodeBackup {
    /// What a restore did.
    public struct Restored: Sendable {
        /// The backup's manifest.
        public var manifest: Manifest
        /// Files written beside the database (only those that were missing, with `withFiles`).
        public var filesWritten: [String]
        /// Migrations the restored database was carried through to this release's schema.
        public var migrationsApplied: Int
    }

    /// Reads a backup file: opens a sealed one with the operator's key, checks every entry
    /// against the manifest, and returns the manifest and the entries.
    static func open(_ path: String, key: P256.KeyAgreement.PrivateKey?) throws -> (Manifest, [String: Data]) {
        var bytes = try read(path)
        if bytes.starts(with: sealedMagic) {
            guard let key else {
                throw RefGateError(
                    .invalidInput, "\(path) is sealed to an operator's key: give its private key with --key")
            }
            var rest = bytes.dropFirst(sealedMagic.count)
            guard rest.count > 2 else { throw RefGateError(.invalidInput, "\(path) is cut short") }
            let length = Int(rest[rest.startIndex]) << 8 | Int(rest[rest.startIndex + 1])
            rest = rest.dropFirst(2)
            guard rest.count > length else { throw RefGateError(.invalidInput, "\(path) is cut short") }
            do {
                var recipient = try HPKE.Recipient(
                    privateKey: key, ciphersuite: ciphersuite, info: sealedMagic,
                    encapsulatedKey: Data(rest.prefix(length)))
                bytes = try recipient.open(Data(rest.dropFirst(length)), authenticating: sealedMagic)
            } catch {
                throw RefGateError(
                    .invalidInput, "\(path) cannot be opened with that key: is it the key the backup was sealed to?")
            }
        }
        let archive: Archive
        do {
            archive = try Archive(data: bytes, accessMode: .read)
        } catch {
            throw RefGateError(.invalidInput, "\(path) is not a refgate backup (not a ZIP archive)")
        }
        var entries: [String: Data] = [:]
        for entry in archive where entry.type == .file {
            guard entries.count < 64, entries[entry.path] == nil else {
                throw RefGateError(.invalidInput, "\(path) is not a refgate backup (unexpected entries)")
            }
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            entries[entry.path] = data
        }
        guard let manifestData = entries.removeValue(forKey: manifestEntry),
            let manifest = try? MessageCoding.decoder().decode(Manifest.self, from: manifestData), manifest.format == 1
        else {
            throw RefGateError(.invalidInput, "\(path) is not a refgate backup this release reads (no manifest)")
        }
        guard Set(entries.keys) == Set(manifest.files.keys) else {
            throw RefGateError(.invalidInput, "\(path) does not hold what its manifest lists")
        }
        for (name, data) in entries where SHA256.hash(data: data).hexString != manifest.files[name] {
            throw RefGateError(.invalidInput, "\(path): \(name) does not match its digest in the manifest")
        }
        return (manifest, entries)
    }

    /// Restores a backup into the place of a stopped node: the database (carried forward by this
    /// release's migrations, and the restore recorded in its audit log), and with `withFiles`
    /// the certificates, directory and keys that are missing. Refuses to replace a database
    /// without `force`, a backup of another authority, and a node that is running.
    public static func restore(
        from path: String, key: P256.KeyAgreement.PrivateKey?, configuration: NodeConfiguration, force: Bool,
        withFiles: Bool, now: Date, by actor: AuditActor? = nil
    ) async throws -> Restored {
        let (manifest, entries) = try open(path, key: key)
        guard manifest.authority == configuration.authority else {
            throw RefGateError(
                .invalidInput,
                "\(path) is a backup of \(manifest.authority), not of this node's authority \(configuration.authority)")
        }
        if await ConfigurationCheck.bindError(
            host: configuration.localListener.host, port: configuration.localListener.port) != nil,
            configuration.localListener.port != 0
        {
            throw RefGateError(
                .invalidTransition,
                "the node seems to be running (\(configuration.localListener.address) is in use): stop it first")
        }
        let database = try configuration.sqliteDatabase(for: "refgate restore")
        let manager = FileManager.default
        if manager.fileExists(atPath: database) && !force {
            throw RefGateError(
                .invalidTransition,
                "\(database) exists: restoring replaces it and everything written since the backup; add --force to do so"
            )
        }
        guard let snapshot = entries[databaseEntry] else {
            throw RefGateError(.invalidInput, "\(path) holds no database")
        }
        // Written beside the database, migrated and checked there, then moved into place.
        let incoming = database + ".restoring"
        try? manager.removeItem(atPath: incoming)
        try PEMFile.writePrivate(snapshot, to: incoming)
        let migrated: Int
        do {
            let store = try Store(path: incoming)
            let after = try Store.summary(ofDatabaseAt: incoming)
            migrated = after.migrations.count - manifest.database.migrations.count
            try await store.write { tx in
                try tx.appendAudit(
                    AuditEvent(
                        .backupRestored, subject: MessageCoding.formatInstant(manifest.takenAt), actor: actor,
                        detail: [
                            "release": manifest.release,
                            "auditEntries": "\(manifest.database.auditEntries)",
                        ]),
                    at: now)
            }
            // Everything in the file itself before it moves: nothing may stay in its WAL.
            try store.closeDatabase()
        } catch {
            try? manager.removeItem(atPath: incoming)
            throw error
        }
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: database + suffix) }
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: incoming + suffix) }
        guard rename(incoming, database) == 0 else {
            throw RefGateError(.storageFailed, "cannot move the restored database into \(database)")
        }
        var written: [String] = []
        if withFiles {
            for file in files(configuration, keys: true) where !manager.fileExists(atPath: file.path) {
                guard let data = entries[file.entry] else { continue }
                if file.entry.hasPrefix("keys/") {
                    try PEMFile.writePrivate(data, to: file.path)
                } else {
                    try PEMFile.writePublic(String(decoding: data, as: UTF8.self), to: file.path)
                }
                written.append(file.path)
            }
        }
        return Restored(manifest: manifest, filesWritten: written, migrationsApplied: max(0, migrated))
    }
}
