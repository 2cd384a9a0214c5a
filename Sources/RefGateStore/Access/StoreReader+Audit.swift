import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// Audit rows in key order, from `seq` on (all of them by default).
    public func auditRows(from seq: Int = 0, limit: Int? = nil) throws -> [AuditRow] {
        let rows = try Row.fetchAll(
            try db.cached("SELECT seq, case_id, entry, leaf_hash FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?"),
            arguments: [seq, limit ?? Int.max])
        return rows.map(AuditRow.init(row:))
    }

    /// Calls `body` with every audit row in key order without holding them all in memory.
    public func forEachAuditRow(_ body: (AuditRow) throws -> Void) throws {
        try db.forEachRow("SELECT seq, case_id, entry, leaf_hash FROM audit_log ORDER BY seq") { row in
            try body(AuditRow(row: row))
        }
    }

    /// The leaf hashes in key order (what a tree head is computed over).
    public func auditLeafHashes() throws -> [Data] {
        try Data.fetchAll(try db.cached("SELECT leaf_hash FROM audit_log ORDER BY seq"))
    }

    /// The audit rows of one case, in order.
    public func auditRows(caseID: String) throws -> [AuditRow] {
        try Row.fetchAll(
            try db.cached("SELECT seq, case_id, entry, leaf_hash FROM audit_log WHERE case_id = ? ORDER BY seq"),
            arguments: [caseID]
        ).map(AuditRow.init(row:))
    }

    /// This node's signed tree heads, smallest first.
    public func auditHeads() throws -> [StoredTreeHead] {
        try Row.fetchAll(try db.cached("SELECT * FROM audit_heads ORDER BY tree_size")).map(StoredTreeHead.init(row:))
    }

    /// The newest signed tree head, if any.
    public func latestAuditHead() throws -> StoredTreeHead? {
        try Row.fetchOne(try db.cached("SELECT * FROM audit_heads ORDER BY tree_size DESC LIMIT 1"))
            .map(StoredTreeHead.init(row:))
    }

    /// Checkpoints received from `authority` (or from everyone), smallest first.
    public func peerCheckpoints(from authority: AuthorityID? = nil) throws -> [PeerCheckpointRecord] {
        let rows =
            if let authority {
                try Row.fetchAll(
                    try db.cached("SELECT * FROM peer_checkpoints WHERE authority = ? ORDER BY tree_size"),
                    arguments: [authority.rawValue])
            } else {
                try Row.fetchAll(try db.cached("SELECT * FROM peer_checkpoints ORDER BY authority, tree_size"))
            }
        return try rows.map { row in
            PeerCheckpointRecord(
                authority: try AuthorityID(validating: row["authority"]), head: StoredTreeHead(row: row),
                messageID: row["message_id"], receivedAt: row.instant("received_at"))
        }
    }

    /// The newest checkpoint from `authority`.
    public func latestPeerCheckpoint(from authority: AuthorityID) throws -> PeerCheckpointRecord? {
        try peerCheckpoints(from: authority).last
    }

    /// Signed directory versions recorded (version, signed bytes when kept).
    public func directoryVersions() throws -> [(version: Int, signed: Data?, installedAt: Date)] {
        try Row.fetchAll(try db.cached("SELECT version, signed, installed_at FROM directory_versions ORDER BY version"))
            .map { ($0["version"], $0["signed"], $0.instant("installed_at")) }
    }
}

/// A checkpoint this node sent a peer, and what became of it.
public struct SentCheckpoint: Sendable, Hashable {
    /// The message id.
    public var messageID: String
    /// The signed message, byte-exact.
    public var jws: String
    /// When it was queued.
    public var recordedAt: Date
    /// Its delivery state.
    public var state: OutboxEntry.State
}

extension StoreReader {
    /// Checkpoints sent to `peer`, newest first.
    public func checkpointsSent(to peer: AuthorityID, limit: Int = 10) throws -> [SentCheckpoint] {
        try Row.fetchAll(
            try db.cached(
                """
                SELECT m.id, m.jws, m.recorded_at, o.state FROM messages m JOIN outbox o ON o.message_id = m.id
                WHERE m.kind = 'checkpoint' AND m.direction = 'out' AND m.to_authority = ?
                ORDER BY m.recorded_at DESC, m.rowid DESC LIMIT ?
                """),
            arguments: [peer.rawValue, limit]
        ).map { row in
            let state: String = row["state"]
            guard let parsed = OutboxEntry.State(rawValue: state) else {
                throw RefGateError(.storedDataUnknown, "outbox state \(state) of message \(row["id"] as String)")
            }
            return SentCheckpoint(
                messageID: row["id"], jws: String(decoding: row["jws"] as Data, as: UTF8.self),
                recordedAt: row.instant("recorded_at"), state: parsed)
        }
    }

    /// The peers this node has exchanged case messages with.
    public func exchangePeers() throws -> [AuthorityID] {
        try String.fetchAll(try db.cached("SELECT DISTINCT peer FROM cases ORDER BY peer")).map {
            try AuthorityID(validating: $0)
        }
    }
}

extension StoreReader {
    /// The newest audit entry of `action`, if any (a scan: for rare entries such as a restore).
    public func latestAuditEntry(_ action: AuditAction) throws -> AuditEntry? {
        let needle = Data("\"action\":\"\(action.rawValue)\"".utf8)
        guard
            let data = try Data.fetchOne(
                db, sql: "SELECT entry FROM audit_log WHERE instr(entry, ?) > 0 ORDER BY seq DESC LIMIT 1",
                arguments: [needle])
        else { return nil }
        return try AuditEntry.decode(data)
    }
}
