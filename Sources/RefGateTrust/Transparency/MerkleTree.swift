import Crypto
import Foundation

/// The Merkle tree of RFC 6962 §2.1 (RFC 9162 §2.1): SHA-256, leaves hashed as
/// `SHA-256(0x00 || entry)`, interior nodes as `SHA-256(0x01 || left || right)`, and a tree of
/// `n` leaves split at the largest power of two below `n`.
///
/// It holds the leaf hashes (32 bytes each, so a million entries take 32 MB) and computes roots
/// and proofs for any prefix of them, which is what tree heads of earlier sizes need.
public struct MerkleTree: Sendable {
    /// The leaf hashes, in order.
    public private(set) var leaves: [Data] = []

    /// An empty tree.
    public init() {}

    /// A tree over these leaf hashes.
    public init(leafHashes: [Data]) { leaves = leafHashes }

    /// The number of leaves.
    public var size: Int { leaves.count }

    /// Appends an entry (hashes it as a leaf).
    public mutating func append(entry: Data) { leaves.append(Self.leafHash(entry)) }

    /// `SHA-256(0x00 || entry)`.
    public static func leafHash(_ entry: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [0])
        hasher.update(data: entry)
        return Data(hasher.finalize())
    }

    /// `SHA-256(0x01 || left || right)`.
    public static func nodeHash(_ left: Data, _ right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [1])
        hasher.update(data: left)
        hasher.update(data: right)
        return Data(hasher.finalize())
    }

    /// The root of the empty tree: `SHA-256("")`.
    public static let emptyRoot = Data(SHA256.hash(data: Data()))

    /// The root hash of the first `size` leaves (MTH of RFC 6962 §2.1).
    public func root(size: Int? = nil) -> Data {
        let n = size ?? leaves.count
        precondition(n >= 0 && n <= leaves.count, "tree size out of range")
        return n == 0 ? Self.emptyRoot : hash(leaves[0..<n])
    }

    private func hash(_ range: ArraySlice<Data>) -> Data {
        // Bottom-up over the slice: pair neighbours level by level; an odd last node is carried
        // up unchanged, which gives the same tree as the recursive split of §2.1.
        var level = Array(range)
        while level.count > 1 {
            var next: [Data] = []
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index + 1 < level.count {
                next.append(Self.nodeHash(level[index], level[index + 1]))
                index += 2
            }
            if index < level.count { next.append(level[index]) }
            level = next
        }
        return level[0]
    }

    /// The audit path for leaf `index` in the tree of the first `size` leaves (PATH of §2.1.1).
    public func inclusionProof(index: Int, size: Int) -> [Data] {
        precondition(index >= 0 && index < size && size <= leaves.count, "leaf or tree size out of range")
        return path(index, leaves[0..<size])
    }

    private func path(_ m: Int, _ d: ArraySlice<Data>) -> [Data] {
        let n = d.count
        guard n > 1 else { return [] }
        let k = Self.split(n)
        let start = d.startIndex
        if m < k {
            return path(m, d[start..<(start + k)]) + [hash(d[(start + k)...])]
        } else {
            return path(m - k, d[(start + k)...]) + [hash(d[start..<(start + k)])]
        }
    }

    /// Audit paths for several leaves of one tree at once. The subtree hashes they share (the
    /// large ones near the root) are computed once, so k proofs cost about one pass over the
    /// leaves rather than k.
    public func inclusionProofs(indexes: [Int], size: Int) -> [Int: [Data]] {
        precondition(size <= leaves.count, "tree size out of range")
        var memo: [Range<Int>: Data] = [:]
        func subtree(_ range: Range<Int>) -> Data {
            if let known = memo[range] { return known }
            let value = hash(leaves[range])
            memo[range] = value
            return value
        }
        func path(_ m: Int, _ range: Range<Int>) -> [Data] {
            guard range.count > 1 else { return [] }
            let middle = range.lowerBound + Self.split(range.count)
            if m < middle - range.lowerBound {
                return path(m, range.lowerBound..<middle) + [subtree(middle..<range.upperBound)]
            } else {
                return path(m - (middle - range.lowerBound), middle..<range.upperBound)
                    + [subtree(range.lowerBound..<middle)]
            }
        }
        var proofs: [Int: [Data]] = [:]
        for index in indexes {
            precondition(index >= 0 && index < size, "leaf index out of range")
            proofs[index] = path(index, 0..<size)
        }
        return proofs
    }

    /// The consistency proof between the trees of the first `oldSize` and `newSize` leaves
    /// (PROOF of §2.1.2).
    public func consistencyProof(oldSize: Int, newSize: Int) -> [Data] {
        precondition(0 < oldSize && oldSize <= newSize && newSize <= leaves.count, "tree sizes out of range")
        guard oldSize < newSize else { return [] }
        return subproof(oldSize, leaves[0..<newSize], true)
    }

    private func subproof(_ m: Int, _ d: ArraySlice<Data>, _ complete: Bool) -> [Data] {
        let n = d.count
        let start = d.startIndex
        if m == n { return complete ? [] : [hash(d)] }
        let k = Self.split(n)
        if m <= k {
            return subproof(m, d[start..<(start + k)], complete) + [hash(d[(start + k)...])]
        } else {
            return subproof(m - k, d[(start + k)...], false) + [hash(d[start..<(start + k)])]
        }
    }

    /// The largest power of two smaller than `n` (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
