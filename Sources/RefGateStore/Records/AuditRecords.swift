import Foundation
import GRDB
import RefGateCore

/// An audit log row as stored: the entry bytes and the leaf hash written with them.
public struct AuditRow: Sendable, Hashable {
    /// The row's key (the entry's index, unless the log was tampered with).
    public var seq: Int
    /// The case column (an index; the entry bytes are what count).
    public var caseID: String?
    /// The canonical entry bytes.
    public var entry: Data
    /// The leaf hash stored with it.
    public var leafHash: Data

    init(row: Row) {
        seq = row["seq"]
        caseID = row["case_id"]
        entry = row["entry"]
        leafHash = row["leaf_hash"]
    }
}

/// A signed tree head as stored.
public struct StoredTreeHead: Sendable, Hashable, Codable {
    /// Entries covered.
    public var treeSize: Int
    /// The Merkle root of the first `treeSize` entries.
    public var rootHash: Data
    /// When it was signed.
    public var madeAt: Date
    /// The compact JWS.
    public var jws: String

    /// Creates one.
    public init(treeSize: Int, rootHash: Data, madeAt: Date, jws: String) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.madeAt = madeAt
        self.jws = jws
    }

    init(row: Row) {
        treeSize = row["tree_size"]
        rootHash = row["root_hash"]
        madeAt = row.instant("made_at")
        jws = row["jws"]
    }
}

/// A peer's signed tree head that this node witnessed.
public struct PeerCheckpointRecord: Sendable, Hashable {
    /// Whose log it covers.
    public var authority: AuthorityID
    /// The head.
    public var head: StoredTreeHead
    /// The checkpoint message that carried it.
    public var messageID: String
    /// When this node stored it.
    public var receivedAt: Date

    /// Creates one.
    public init(authority: AuthorityID, head: StoredTreeHead, messageID: String, receivedAt: Date) {
        self.authority = authority
        self.head = head
        self.messageID = messageID
        self.receivedAt = receivedAt
    }
}
