import Foundation
import RefGateCore

/// What a witness accepts: a new head of a peer's log must extend the last head it holds from
/// that peer, shown by an RFC 6962 consistency proof from exactly that size.
public enum WitnessRule {
    /// Throws `checkpoint-inconsistent` unless `new` (with `consistency`) extends `held`.
    public static func check(
        new: SignedTreeHead, consistency: Checkpoint.Consistency?, held: (size: Int, root: Data)?
    ) throws {
        guard let held, held.size > 0 else { return }
        let size = new.head.treeSize
        if size == held.size {
            guard new.root == held.root else {
                throw RefGateError(
                    .checkpointInconsistent,
                    "the head of \(size) entries has a different root from the one held: the log was rewritten")
            }
            return
        }
        guard size > held.size else {
            throw RefGateError(
                .checkpointInconsistent,
                "the head covers \(size) entries, fewer than the \(held.size) already witnessed: the log shrank")
        }
        guard let consistency, consistency.fromSize == held.size else {
            throw RefGateError(
                .checkpointInconsistent,
                "the consistency proof must start at \(held.size) entries, the head this node holds; it starts at \(consistency.map { "\($0.fromSize)" } ?? "nothing")"
            )
        }
        let proof = consistency.proof.compactMap { Data(hexEncoded: $0) }
        guard proof.count == consistency.proof.count,
            MerkleProof.verifyConsistency(
                oldSize: held.size, newSize: size, oldRoot: held.root, newRoot: new.root, proof: proof)
        else {
            throw RefGateError(
                .checkpointInconsistent,
                "the head of \(size) entries does not extend the witnessed head of \(held.size): the log was rewritten")
        }
    }
}
