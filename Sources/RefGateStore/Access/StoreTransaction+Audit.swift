import Foundation
import GRDB
import RefGateCore
import RefGateTrust

extension StoreTransaction {
    /// Appends `event` to the audit log in this transaction, so the entry commits exactly when
    /// the action does. It links to the previous entry's leaf hash.
    ///
    /// On PostgreSQL the entry is held and written just before the transaction commits
    /// (`AuditChainTip`), so that the lock serialising appends is held only briefly.
    public func appendAudit(_ event: AuditEvent, at time: Date) throws {
        if chain.deferring {
            chain.hold(event, at: time)
            return
        }
        let (seq, prev) = try chain.next ?? Self.readTip(db)
        let entry = try AuditEntry(seq: seq, prev: prev, at: time, event: event).encoded()
        let leafHash = MerkleTree.leafHash(entry)
        try db.run(
            sql: "INSERT INTO audit_log (seq, case_id, entry, leaf_hash) VALUES (?, ?, ?, ?)",
            arguments: [seq, event.caseID, entry, leafHash])
        chain.appended(seq: seq, leafHash: leafHash)
    }

    /// Writes the entries `chain` holds, in the order they were appended, as the last thing
    /// before commit: under PostgreSQL's advisory lock for the audit chain (held until the
    /// commit), so that every instance's appends make one chain. Many rows go in each statement.
    static func appendDeferredAudit(_ db: SQLSession, chain: AuditChainTip) throws {
        let held = chain.takeHeld()
        guard !held.isEmpty else { return }
        if db.isPostgres {
            try db.run(sql: "SELECT pg_advisory_xact_lock(\(PostgresLocks.audit))")
        }
        var (seq, prev) = try readTip(db)
        var rows: [[DatabaseValue]] = []
        rows.reserveCapacity(held.count)
        for (event, time) in held {
            let entry = try AuditEntry(seq: seq, prev: prev, at: time, event: event).encoded()
            let leafHash = MerkleTree.leafHash(entry)
            rows.append([seq.databaseValue, event.caseID.databaseValue, entry.databaseValue, leafHash.databaseValue])
            (seq, prev) = (seq + 1, leafHash.hexEncoded)
        }
        // Up to 256 rows a statement: any number of entries runs as at most nine different
        // statements, each prepared once per connection.
        for chunk in KeyList.powerOfTwoChunks(rows, most: 256) {
            try db.run(
                sql: "INSERT INTO audit_log (seq, case_id, entry, leaf_hash) VALUES "
                    + Array(repeating: "(?, ?, ?, ?)", count: chunk.count).joined(separator: ", "),
                arguments: SQLArguments(chunk.flatMap { $0 }))
        }
    }

    /// The next entry's index and the previous entry's leaf hash, from the log itself.
    private static func readTip(_ db: SQLSession) throws -> (next: Int, prev: String) {
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
