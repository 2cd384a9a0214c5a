import Crypto
import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust
import X509

/// What `refgate audit verify` found.
public struct AuditReport: Codable, Sendable, Hashable {
    /// Entries read.
    public var entries: Int
    /// Signed tree heads checked.
    public var heads: Int
    /// Peers' witnessed heads checked (with `--peer-checkpoints`).
    public var witnessed: Int
    /// The Merkle root over every entry read, hex.
    public var root: String
    /// The first failure, if any; nil means the log verifies.
    public var failure: AuditFailure?

    /// True when nothing failed.
    public var verified: Bool { failure == nil }
}

/// The first thing that did not verify, naming the entry where there is one.
public struct AuditFailure: Codable, Sendable, Hashable {
    /// The entry (leaf index) named, if the failure can be pinned to one.
    public var entry: Int?
    /// What is wrong, in words.
    public var reason: String
}

/// Recomputes the audit tree from the entries and checks every link, every stored hash and
/// every signed tree head against it: this node's own, and the ones peers witnessed.
public struct AuditVerifier: Sendable {
    /// This node's authority (whose log it is).
    let authority: AuthorityID
    /// Keys that may have signed this node's tree heads, by `kid`.
    let keys: [String: P256.Signing.PublicKey]

    /// Creates a verifier trusting tree heads signed by `signCertificates` (current and past).
    public init(authority: AuthorityID, signCertificates: [Certificate]) throws {
        self.authority = authority
        var keys: [String: P256.Signing.PublicKey] = [:]
        for certificate in signCertificates {
            guard let key = P256.Signing.PublicKey(certificate.publicKey) else { continue }
            keys[try Thumbprint.of(certificate)] = key
        }
        self.keys = keys
    }

    /// Verifies the log and this node's heads in `reader`, then `witnessed` heads (compact JWS)
    /// that peers hold.
    public func verify(_ reader: StoreReader, witnessed: [String] = []) throws -> AuditReport {
        var leaves: [Data] = []
        var failure: AuditFailure?
        let decoder = JSONDecoder()
        try reader.forEachAuditRow { row in
            guard failure == nil else { return }
            failure = check(row, leaves: &leaves, decoder: decoder)
        }
        let tree = MerkleTree(leafHashes: leaves)
        var report = AuditReport(
            entries: leaves.count, heads: 0, witnessed: 0, root: tree.root().hexEncoded, failure: failure)
        guard failure == nil else { return report }
        var previous: SignedTreeHead?
        for stored in try reader.auditHeads() {
            report.heads += 1
            do {
                let head = try check(stored.jws, against: tree, what: "the tree head")
                guard head.head.treeSize == stored.treeSize, head.root == stored.rootHash else {
                    throw AuditFailure(
                        entry: nil,
                        reason:
                            "the tree head stored for \(stored.treeSize) entries does not match the JWS that signs it")
                }
                if let previous {
                    let old = previous.head.treeSize
                    let new = head.head.treeSize
                    let proof = old > 0 ? tree.consistencyProof(oldSize: old, newSize: new) : []
                    guard
                        MerkleProof.verifyConsistency(
                            oldSize: old, newSize: new, oldRoot: previous.root, newRoot: head.root, proof: proof)
                    else {
                        throw AuditFailure(
                            entry: nil, reason: "the tree heads of \(old) and \(new) entries are not consistent")
                    }
                }
                previous = head
            } catch let error as AuditFailure {
                report.failure = error
                return report
            }
        }
        for compact in witnessed {
            report.witnessed += 1
            do {
                try check(compact, against: tree, what: "the tree head a peer witnessed")
            } catch let error as AuditFailure {
                report.failure = error
                return report
            }
        }
        return report
    }

    /// Checks one row against its position and the entry before it.
    private func check(_ row: AuditRow, leaves: inout [Data], decoder: JSONDecoder) -> AuditFailure? {
        let index = leaves.count
        guard row.seq == index else {
            return AuditFailure(
                entry: index,
                reason: "entry \(index) is missing: the log goes from entry \(index - 1) to entry \(row.seq)")
        }
        let hash = MerkleTree.leafHash(row.entry)
        // Only the position and the link are needed here; the rest of the entry is hashed as is.
        guard let entry = try? decoder.decode(AuditEntry.Link.self, from: row.entry) else {
            return AuditFailure(entry: index, reason: "entry \(index) is not a readable audit entry: it was altered")
        }
        guard entry.seq == index else {
            return AuditFailure(
                entry: index,
                reason: "position \(index) holds entry \(entry.seq): entries were moved or replaced")
        }
        guard hash == row.leafHash else {
            return AuditFailure(
                entry: index,
                reason: "entry \(index) was altered: its bytes no longer match the hash written with it")
        }
        guard entry.prev == (leaves.last?.hexEncoded ?? "") else {
            return AuditFailure(
                entry: index - 1,
                reason: "entry \(index - 1) was altered or replaced: entry \(index) was written after a different one")
        }
        leaves.append(hash)
        return nil
    }

    /// Checks a signed tree head of this node's log against the recomputed tree.
    @discardableResult
    private func check(_ compact: String, against tree: MerkleTree, what: String) throws -> SignedTreeHead {
        let head: SignedTreeHead
        do {
            head = try SignedTreeHead(compact: compact)
        } catch {
            throw AuditFailure(entry: nil, reason: "\(what) is not a readable tree head: \(error)")
        }
        guard let key = keys[head.jws.header.kid] else {
            throw AuditFailure(
                entry: nil,
                reason:
                    "\(what) of \(head.head.treeSize) entries is signed by an unknown key (kid \(head.jws.header.kid))")
        }
        do {
            try head.verified(with: key)
        } catch {
            throw AuditFailure(
                entry: nil, reason: "\(what) of \(head.head.treeSize) entries has a bad signature (forged)")
        }
        guard head.head.authority == authority else {
            throw AuditFailure(entry: nil, reason: "\(what) covers \(head.head.authority)'s log, not \(authority)'s")
        }
        let size = head.head.treeSize
        let signedAt = MessageCoding.formatInstant(head.head.timestamp)
        guard size <= tree.size else {
            throw AuditFailure(
                entry: tree.size,
                reason:
                    "the log ends after \(tree.size) entries but \(what) signed at \(signedAt) covers \(size): entries \(tree.size)…\(size - 1) were removed (truncated)"
            )
        }
        guard tree.root(size: size) == head.root else {
            throw AuditFailure(
                entry: nil,
                reason:
                    "\(what) of \(size) entries signed at \(signedAt) does not match the log: an entry below \(size) was changed"
            )
        }
        return head
    }
}

extension AuditFailure: Error {}
