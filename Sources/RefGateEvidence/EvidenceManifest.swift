import Foundation
import RefGateCore

/// `manifest.json` of an evidence bundle: what it is about and the SHA-256 of every other file.
/// `manifest.jws` signs exactly these bytes with the exporting authority's sign key.
public struct EvidenceManifest: Codable, Sendable, Hashable {
    /// Always `refgate-evidence/1`.
    public var format = EvidenceManifest.format
    /// The exporting authority.
    public var authority: AuthorityID
    /// The case.
    public var `case`: String
    /// When the bundle was made.
    public var exportedAt: Date
    /// Entries covered by the bundle's tree head.
    public var treeSize: Int
    /// Every file but the manifest and its signature, with its SHA-256 (hex).
    public var files: [File]

    /// A file and its digest.
    public struct File: Codable, Sendable, Hashable {
        /// Path in the bundle.
        public var path: String
        /// SHA-256, lower-case hex (as `sha256sum` prints it).
        public var sha256: String
    }

    /// The format name.
    public static let format = "refgate-evidence/1"
}

/// `audit/proofs.json`: how the case's audit entries and the peers' witnessed heads tie to the
/// bundle's signed tree head.
public struct EvidenceProofs: Codable, Sendable, Hashable {
    /// The tree head's size.
    public var treeSize: Int
    /// Its root, hex.
    public var rootHash: String
    /// Each case entry: its file, its leaf index and its inclusion proof (hex hashes).
    public var entries: [Inclusion]
    /// Heads of this log that peers receipted, each with a consistency proof to the bundle's head.
    public var witnessed: [Witness]

    /// An entry's inclusion proof.
    public struct Inclusion: Codable, Sendable, Hashable {
        /// Leaf index.
        public var index: Int
        /// File holding the entry's exact bytes.
        public var file: String
        /// Audit path, leaf to root.
        public var proof: [String]
    }

    /// A head a peer witnessed.
    public struct Witness: Codable, Sendable, Hashable {
        /// The witness.
        public var peer: AuthorityID
        /// The witnessed size.
        public var treeSize: Int
        /// The checkpoint message this authority sent (holding the head).
        public var checkpoint: String
        /// The peer's signed receipt for it.
        public var receipt: String
        /// Consistency proof from `treeSize` to the bundle's head.
        public var consistency: [String]
    }
}
