import Crypto
import Foundation
import RefGateBuildInfo
import RefGateCore
import RefGateStore
import RefGateTrust
import ZIPFoundation

/// A node's backup: a consistent snapshot of its database (taken while it runs), its
/// configuration file, certificates and directory, and a manifest saying what they are and the
/// audit log's size and newest signed tree head at that instant. One ZIP file, mode 0600, or
/// that ZIP sealed with HPKE to an operator's P-256 public key; only a sealed backup holds the
/// node's private keys.
public struct NodeBackup: Sendable {
    /// What a backup holds.
    public struct Manifest: Codable, Sendable, Hashable {
        /// The archive's format (1).
        public var format: Int
        /// The release that took it.
        public var release: String
        /// The authority whose node it is.
        public var authority: AuthorityID
        /// When it was taken.
        public var takenAt: Date
        /// What the database snapshot holds.
        public var database: SnapshotSummary
        /// SHA-256 (hex) of every other entry, by name.
        public var files: [String: String]
        /// Whether the node's private keys are inside (only in a sealed backup).
        public var includesKeys: Bool
    }

    /// The first bytes of a sealed backup, before the HPKE encapsulated key and ciphertext.
    static let sealedMagic = Data("refgate-backup-hpke-p256-v1\n".utf8)
    static let ciphersuite = HPKE.Ciphersuite.P256_SHA256_AES_GCM_256
    static let databaseEntry = "refgate.sqlite"
    static let configurationEntry = "node.json"
    static let manifestEntry = "manifest.json"

    /// The files beside the database, by archive name, with the configuration's paths.
    static func files(_ configuration: NodeConfiguration, keys: Bool) -> [(entry: String, path: String)] {
        var files = [
            ("files/ca.pem", configuration.caCertificate), ("files/directory.jws", configuration.directory),
            ("files/auth.pem", configuration.authCertificate), ("files/sign.pem", configuration.signCertificate),
        ]
        if keys { files += [("keys/auth.key", configuration.authKey), ("keys/sign.key", configuration.signKey)] }
        return files
    }

    /// Takes a backup of the node configured at `configurationPath` into `output` (a new file,
    /// mode 0600). `store` is the running node's own store (a scheduled backup); nil reads the
    /// database file from another process (`refgate backup`). Sealed to `recipient` if given.
    public static func take(
        configurationPath: String?, configuration: NodeConfiguration, store: Store? = nil,
        recipient: P256.KeyAgreement.PublicKey?, to output: String, now: Date
    ) throws -> Manifest {
        guard !FileManager.default.fileExists(atPath: output) else {
            throw RefGateError(.configurationInvalid, "\(output) exists already; choose a new file")
        }
        let work = output + ".partial-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(
            atPath: work, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: work) }
        let snapshot = (work as NSString).appendingPathComponent(databaseEntry)
        let summary =
            try store?.snapshot(to: snapshot)
            ?? Store.snapshot(databaseAt: try configuration.sqliteDatabase(for: "refgate backup"), to: snapshot)
        var entries: [(String, Data)] = []
        if let configurationPath { entries.append((configurationEntry, try read(configurationPath))) }
        for file in files(configuration, keys: recipient != nil) { entries.append((file.entry, try read(file.path))) }
        let manifest = Manifest(
            format: 1, release: RefGateVersion.release, authority: configuration.authority, takenAt: now,
            database: summary,
            files: Dictionary(
                uniqueKeysWithValues: entries.map { ($0.0, SHA256.hash(data: $0.1).hexString) }
                    + [(databaseEntry, try sha256(ofFile: snapshot))]),
            includesKeys: recipient != nil)
        // The archive is built on disk (the snapshot may be large), owner-only like its folder.
        let zipPath = (work as NSString).appendingPathComponent("backup.zip")
        let zip = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
        let encoder = MessageCoding.encoder()
        for (name, data) in [(manifestEntry, try encoder.encode(manifest))] + entries {
            try zip.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        try zip.addEntry(with: databaseEntry, relativeTo: URL(fileURLWithPath: work), compressionMethod: .deflate)
        chmod(zipPath, 0o600)
        guard let recipient else {
            guard rename(zipPath, output) == 0 else {
                throw RefGateError(.storageFailed, "cannot write \(output): \(String(cString: strerror(errno)))")
            }
            return manifest
        }
        let plain = try read(zipPath)
        var sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: ciphersuite, info: sealedMagic)
        let sealed = try sender.seal(plain, authenticating: sealedMagic)
        let key = sender.encapsulatedKey
        let bytes = sealedMagic + Data([UInt8(key.count >> 8), UInt8(key.count & 0xFF)]) + key + sealed
        try PEMFile.writePrivate(bytes, to: output)
        return manifest
    }

    /// An operator's P-256 public key (PEM) to seal backups to, or a clear error saying how to
    /// make one.
    public static func operatorKey(_ path: String) throws -> P256.KeyAgreement.PublicKey {
        let text = try PEMFile.read(path, what: "operator's public key")
        guard let key = try? P256.KeyAgreement.PublicKey(pemRepresentation: text) else {
            throw RefGateError(
                .invalidInput,
                "\(path) is not a P-256 public key in PEM; make one with: openssl ecparam -name prime256v1 -genkey -noout -out operator.key && openssl ec -in operator.key -pubout -out operator.pub"
            )
        }
        return key
    }

    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RefGateError(.configurationInvalid, "cannot read \(path) for the backup")
        }
        return data
    }

    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RefGateError(.storageFailed, "cannot read \(path)")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        return hash.finalize().hexString
    }
}

extension Digest {
    /// Lower-case hex.
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
