import Foundation
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateTrust

/// What a witness accepts from a peer's checkpoint: only a head that provably extends the one
/// it holds.
@Suite(.timeLimit(.minutes(2))) struct WitnessRuleTests {
    let manchester = AuthorityID(rawValue: "E08000003")!

    func signer() throws -> (MessageSigner, TemporaryFolder) {
        let folder = try TemporaryFolder()
        let ca = try RegionalCA.create(region: "North West", now: Date())
        try AuthorityCredentials.issue(
            by: ca, authority: manchester, name: "M", host: "127.0.0.1", into: folder.path, now: Date())
        let signer = try MessageSigner(
            certificate: try CertificateFile.loadCertificate(folder.file("sign.pem"), what: "sign"),
            key: try CertificateFile.loadPrivateKey(folder.file("sign.key"), what: "sign"))
        return (signer, folder)
    }

    func head(_ tree: MerkleTree, size: Int, signer: MessageSigner) throws -> SignedTreeHead {
        let head = TreeHead(
            authority: manchester, treeSize: size, rootHash: tree.root(size: size).hexEncoded, timestamp: Date())
        return try SignedTreeHead(compact: try signer.sign(treeHead: head).compact)
    }

    @Test func aHeadMustExtendTheOneHeld() throws {
        let (signer, _) = try signer()
        var tree = MerkleTree()
        for index in 0..<20 { tree.append(entry: Data("entry \(index)".utf8)) }
        let held = (size: 7, root: tree.root(size: 7))
        let new = try head(tree, size: 20, signer: signer)
        let proof = Checkpoint.Consistency(
            fromSize: 7, proof: tree.consistencyProof(oldSize: 7, newSize: 20).map(\.hexEncoded))
        try WitnessRule.check(new: new, consistency: proof, held: held)
        try WitnessRule.check(new: new, consistency: nil, held: nil)  // the first head a witness sees
        try WitnessRule.check(new: try head(tree, size: 7, signer: signer), consistency: nil, held: held)  // a repeat

        func refused(_ body: () throws -> Void) {
            #expect {
                try body()
            } throws: { error in
                (error as? RefGateError)?.code == .checkpointInconsistent
            }
        }
        refused { try WitnessRule.check(new: new, consistency: nil, held: held) }  // no proof
        refused {
            try WitnessRule.check(
                new: new, consistency: .init(fromSize: 6, proof: proof.proof), held: held)
        }
        refused { try WitnessRule.check(new: try head(tree, size: 5, signer: signer), consistency: nil, held: held) }
        // A rewritten log: entry 3 changed after the witness saw 7 entries.
        var rewritten = MerkleTree()
        for index in 0..<20 { rewritten.append(entry: Data((index == 3 ? "changed" : "entry \(index)").utf8)) }
        let forged = try head(rewritten, size: 20, signer: signer)
        refused {
            try WitnessRule.check(
                new: forged,
                consistency: .init(
                    fromSize: 7, proof: rewritten.consistencyProof(oldSize: 7, newSize: 20).map(\.hexEncoded)),
                held: held)
        }
        refused {
            try WitnessRule.check(new: try head(rewritten, size: 7, signer: signer), consistency: nil, held: held)
        }
    }
}
