import Foundation
import GRDB
import RefGateCore
import RefGateTrust

extension StoreTransaction {
    /// Appends `event` to the audit log in this transaction, so the entry commits exactly when
    /// the action does. It links to the previous entry's leaf hash and returns its index.
    @discardableResult
    public func appendAudit(_ event: AuditEvent, at time: Date) throws -> Int {
        let (seq, prev) = try chain.next ?? readTip()
        let entry = try AuditEntry(seq: seq, prev: prev, at: time, event: event).encoded()
        let leafHash = MerkleTree.leafHash(entry)
        try db.run(
            sql: "INSERT INTO audit_log (seq, case_id, entry, leaf_hash) VALUES (?, ?, ?, ?)",
            arguments: [seq, event.caseID, entry, leafHash])
        chain.appended(seq: seq, leafHash: leafHash)
        return seq
    }

    /// The next entry's index and the previous entry's leaf hash, from the log itself.
    ///
    /// On PostgreSQL several instances append to one log: the first append of a transaction
    /// takes a transaction-scoped advisory lock first, so appends are serialised and the log
    /// stays one chain (SQLite's single writer does this by itself).
    private func readTip() throws -> (next: Int, prev: String) {
        if db.isPostgres {
            try db.run(sql: "SELECT pg_advisory_xact_lock(\(PostgresLocks.audit))")
        }
        let last = try Row.fetchOne(
            try db.cached("SELECT seq, leaf_hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        return (last.map { ($0["seq"] as Int) + 1 } ?? 0, last.map { ($0["leaf_hash"] as Data).hexEncoded } ?? "")
    }

    /// Stores a signed tree head this node made (idempotent per size).
    public func insertAuditHead(_ head: StoredTreeHead) throws {
        try db.run(
            sql:
                "INSERT INTO audit_heads (tree_size, root_hash, made_at, jws) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            arguments: [head.treeSize, head.rootHash, head.madeAt.epochMilliseconds, head.jws])
    }

    /// Stores a peer's checkpoint (idempotent per authority and size).
    public func insertPeerCheckpoint(_ checkpoint: PeerCheckpointRecord) throws {
        try db.run(
            sql: """
                INSERT INTO peer_checkpoints (authority, tree_size, root_hash, made_at, jws, message_id,
                    received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
            arguments: [
                checkpoint.authority.rawValue, checkpoint.head.treeSize, checkpoint.head.rootHash,
                checkpoint.head.madeAt.epochMilliseconds, checkpoint.head.jws, checkpoint.messageID,
                checkpoint.receivedAt.epochMilliseconds,
            ])
    }
}
