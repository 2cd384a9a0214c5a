import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// The audit log's tree: signed tree heads over it (hourly and on demand), proofs, and
/// checkpoints that hand the newest head to each peer to witness.
public struct AuditTrail: Sendable {
    let authority: AuthorityID
    let store: Store
    let directory: DirectoryHolder
    let signer: MessageSigner
    let clock: any NodeClock
    let retention: RetentionRule
    let outbox: Outbox
    let logger: Logger

    /// Longest time between tree heads while the log grows, and between checkpoints to a peer.
    public static let interval: TimeInterval = 3600

    /// The Merkle tree over the log as it is now (from the stored leaf hashes).
    public func tree() async throws -> MerkleTree {
        MerkleTree(leafHashes: try await store.read { try $0.auditLeafHashes() })
    }

    /// Signs a tree head over the whole log now, or returns the newest one if it already covers
    /// every entry.
    @discardableResult
    public func makeHead() async throws -> StoredTreeHead {
        try await makeHead(over: try await tree())
    }

    /// Signs a head over `tree` (the log as just read), unless the newest head covers it.
    func makeHead(over tree: MerkleTree) async throws -> StoredTreeHead {
        if let latest = try await store.read({ try $0.latestAuditHead() }), latest.treeSize == tree.size {
            return latest
        }
        let stored = try signHead(tree, at: clock.now())
        try await store.write { tx in try tx.insertAuditHead(stored) }
        logger.info(
            "audit tree head signed",
            metadata: ["treeSize": "\(tree.size)", "root": "\(stored.rootHash.hexEncoded)"])
        return stored
    }

    /// Signs a head over all of `tree` (not stored).
    func signHead(_ tree: MerkleTree, at now: Date) throws -> StoredTreeHead {
        let root = tree.root()
        let head = TreeHead(authority: authority, treeSize: tree.size, rootHash: root.hexEncoded, timestamp: now)
        return StoredTreeHead(
            treeSize: tree.size, rootHash: root, madeAt: now, jws: try signer.sign(treeHead: head).compact)
    }

    /// What the hourly service does: a head if the log grew, then a checkpoint to every peer
    /// this node exchanges with whose last one is an hour old or more. Returns checkpoints queued.
    @discardableResult
    public func tick() async throws -> Int {
        // One read of the log serves the head and the checkpoints' consistency proofs.
        let tree = try await tree()
        return try await queueCheckpoints(head: try await makeHead(over: tree), tree: tree)
    }

    /// Queues a checkpoint of `head` to each peer that has none pending, none younger than
    /// ``interval``, and an older head than this one; with a consistency proof from the last
    /// head the peer receipted.
    @discardableResult
    func queueCheckpoints(head: StoredTreeHead, tree: MerkleTree) async throws -> Int {
        guard head.treeSize > 0 else { return 0 }
        let now = clock.now()
        let trusted = await directory.current
        let plans = try await store.read { reader -> [(AuthorityID, Int?)] in
            var plans: [(AuthorityID, Int?)] = []
            for peer in try reader.exchangePeers() where trusted.member(peer) != nil {
                let sent = try reader.checkpointsSent(to: peer)
                if sent.contains(where: { $0.state == .pending || $0.state == .parked }) { continue }
                if let last = sent.first, now.timeIntervalSince(last.recordedAt) < Self.interval { continue }
                let witnessed = try sent.first { $0.state == .delivered }.map {
                    try SignedTreeHead(checkpointMessage: $0.jws).head.treeSize
                }
                if let witnessed, witnessed >= head.treeSize { continue }
                plans.append((peer, witnessed))
            }
            return plans
        }
        guard !plans.isEmpty else { return 0 }
        var outgoing: [OutgoingMessage] = []
        for (peer, witnessed) in plans {
            let consistency = witnessed.flatMap { size -> Checkpoint.Consistency? in
                guard size > 0, size < head.treeSize else { return nil }
                return Checkpoint.Consistency(
                    fromSize: size,
                    proof: tree.consistencyProof(oldSize: size, newSize: head.treeSize).map(\.hexEncoded))
            }
            let id = TimeOrderedID.make()
            let checkpoint = Checkpoint(
                id: id, from: authority, to: peer, sentAt: now, treeHead: head.jws, consistency: consistency)
            outgoing.append(try outbox.prepare(checkpoint, id: id, caseID: nil, kind: .checkpoint, to: peer, now: now))
        }
        let batch = outgoing
        try await store.write { tx in
            for message in batch { try self.outbox.queue(message, tx: tx) }
        }
        logger.info("audit checkpoints queued", metadata: ["peers": "\(plans.map { $0.0.rawValue })"])
        return batch.count
    }
}
