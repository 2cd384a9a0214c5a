import Foundation
import RefGateTestSupport
import Testing

@testable import RefGateTrust

/// The tree against RFC 6962's published test vectors (the Certificate Transparency reference
/// leaves, roots, audit paths and consistency proofs) and against an independent Python
/// implementation written from RFC 9162's algorithms.
@Suite(.timeLimit(.minutes(2))) struct MerkleTreeTests {
    static let leaves = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ]
    .map { Data(hexEncoded: $0)! }
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static var tree: MerkleTree {
        var tree = MerkleTree()
        for leaf in leaves { tree.append(entry: leaf) }
        return tree
    }

    @Test func rootsMatchRFC6962Vectors() {
        let tree = Self.tree
        for size in 0...8 { #expect(tree.root(size: size).hexEncoded == Self.roots[size], "size \(size)") }
    }

    @Test func inclusionProofsMatchRFC6962Vectors() {
        let tree = Self.tree
        let vectors: [(Int, Int, [String])] = [
            (
                0, 8,
                [
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ]
            ),
            (
                5, 8,
                [
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ]
            ),
        ]
        for (index, size, expected) in vectors {
            let proof = tree.inclusionProof(index: index, size: size)
            #expect(proof.map(\.hexEncoded) == expected)
            #expect(
                MerkleProof.verifyInclusion(
                    leafHash: tree.leaves[index], index: index, size: size, proof: proof, root: tree.root(size: size)))
        }
    }

    @Test func consistencyProofsMatchRFC6962Vectors() {
        let tree = Self.tree
        let vectors: [(Int, Int, [String])] = [
            (1, 1, []),
            (
                2, 5,
                [
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ]
            ),
            (
                2, 8,
                [
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ]
            ),
            (
                6, 8,
                [
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ]
            ),
        ]
        for (old, new, expected) in vectors {
            let proof = tree.consistencyProof(oldSize: old, newSize: new)
            #expect(proof.map(\.hexEncoded) == expected, "\(old) → \(new)")
            #expect(
                MerkleProof.verifyConsistency(
                    oldSize: old, newSize: new, oldRoot: tree.root(size: old), newRoot: tree.root(size: new),
                    proof: proof))
        }
    }

    /// Every proof of every size up to 40 verifies, and a wrong leaf, index, root or a
    /// shortened proof does not.
    @Test func proofsVerifyAndForgeriesDoNot() {
        var tree = MerkleTree()
        for index in 0..<40 { tree.append(entry: Data([UInt8(index), UInt8(truncatingIfNeeded: index &* 7)])) }
        for size in 1...40 {
            let root = tree.root(size: size)
            for index in 0..<size {
                let proof = tree.inclusionProof(index: index, size: size)
                #expect(
                    MerkleProof.verifyInclusion(
                        leafHash: tree.leaves[index], index: index, size: size, proof: proof, root: root))
                let other = tree.leaves[(index + 1) % 40]
                #expect(
                    !MerkleProof.verifyInclusion(leafHash: other, index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    #expect(
                        !MerkleProof.verifyInclusion(
                            leafHash: tree.leaves[index], index: (index + 1) % size, size: size, proof: proof,
                            root: root))
                    #expect(
                        !MerkleProof.verifyInclusion(
                            leafHash: tree.leaves[index], index: index, size: size, proof: Array(proof.dropLast()),
                            root: root))
                }
            }
            let together = tree.inclusionProofs(indexes: Array(0..<size), size: size)
            #expect((0..<size).allSatisfy { together[$0] == tree.inclusionProof(index: $0, size: size) })
            for old in 1...size {
                let proof = tree.consistencyProof(oldSize: old, newSize: size)
                let oldRoot = tree.root(size: old)
                #expect(
                    MerkleProof.verifyConsistency(
                        oldSize: old, newSize: size, oldRoot: oldRoot, newRoot: root, proof: proof))
                if old < size {
                    #expect(
                        !MerkleProof.verifyConsistency(
                            oldSize: old, newSize: size, oldRoot: tree.leaves[0], newRoot: root, proof: proof)
                            || old == 1 && tree.leaves[0] == oldRoot)
                    #expect(
                        !MerkleProof.verifyConsistency(
                            oldSize: old, newSize: size, oldRoot: oldRoot, newRoot: oldRoot, proof: proof))
                }
            }
        }
    }

    /// An independent implementation (Python, hashlib only, from RFC 9162 §2.1) computes the
    /// same roots and proofs for 1…70 leaves.
    @Test func agreesWithAnIndependentImplementation() throws {
        var tree = MerkleTree()
        var lines: [String] = []
        for index in 0..<70 {
            let entry = Data("entry \(index)".utf8)
            tree.append(entry: entry)
            lines.append(entry.hexEncoded)
        }
        let result = try ExternalTool.run(
            ["python3", "\(ExternalTool.interopFolder)/merkle_reference.py"],
            input: Data(lines.joined(separator: "\n").utf8))
        #expect(result.status == 0, "\(result.combined)")
        var expected: [String] = []
        for size in 1...70 {
            expected.append("root \(size) \(tree.root(size: size).hexEncoded)")
            for index in stride(from: 0, to: size, by: 7) {
                expected.append(
                    "path \(index) \(size) \(tree.inclusionProof(index: index, size: size).map(\.hexEncoded).joined(separator: ","))"
                )
            }
            for old in stride(from: 1, through: size, by: 5) {
                expected.append(
                    "proof \(old) \(size) \(tree.consistencyProof(oldSize: old, newSize: size).map(\.hexEncoded).joined(separator: ","))"
                )
            }
        }
        let actual = result.output.split(separator: "\n").map(String.init)
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) where a != e {
            Issue.record("python: \(a)\nswift:  \(e)")
            break
        }
    }
}
