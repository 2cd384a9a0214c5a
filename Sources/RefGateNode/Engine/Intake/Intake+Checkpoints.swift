import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust

extension Intake {
    /// A checkpoint's tree head must be signed by the sender's current sign key and cover the
    /// sender's own log.
    static func checkTreeHead(_ checkpoint: Checkpoint, trusted: TrustedDirectory, now: Date) throws
        -> SignedTreeHead
    {
        let head = try SignedTreeHead(compact: checkpoint.treeHead)
        let signer = try trusted.verifySignature(of: head.jws, at: now)
        guard signer == checkpoint.from, head.head.authority == checkpoint.from else {
            throw RefGateError(
                .senderMismatch,
                "the tree head is \(head.head.authority)'s, signed by \(signer); the checkpoint is from \(checkpoint.from)"
            )
        }
        return head
    }

    /// Witnesses a peer's tree head: it must extend the last one held from that peer (the
    /// proof is checked here, in the transaction that stores the new head).
    static func applyIncoming(_ checkpoint: Checkpoint, head: SignedTreeHead, tx: StoreTransaction, now: Date) throws {
        let held = try tx.reader.latestPeerCheckpoint(from: checkpoint.from)
        try WitnessRule.check(
            new: head, consistency: checkpoint.consistency, held: held.map { ($0.head.treeSize, $0.head.rootHash) })
        try tx.insertPeerCheckpoint(
            PeerCheckpointRecord(
                authority: checkpoint.from,
                head: StoredTreeHead(
                    treeSize: head.head.treeSize, rootHash: head.root, madeAt: head.head.timestamp,
                    jws: head.jws.compact),
                messageID: checkpoint.id, receivedAt: now))
        try tx.appendAudit(
            AuditEvent(
                .checkpointReceived, subject: checkpoint.id,
                detail: [
                    "peer": checkpoint.from.rawValue, "treeSize": "\(head.head.treeSize)",
                    "rootHash": head.head.rootHash,
                ]),
            at: now)
    }
}
