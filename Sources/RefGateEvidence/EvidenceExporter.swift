import Crypto
import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust
import X509
import ZIPFoundation

/// Writes one case's evidence as a ZIP: its messages and receipts byte-exact, the signed
/// directory versions in force, the certificates, its audit entries with inclusion proofs
/// against a signed tree head, the heads peers witnessed, a signed manifest and `VERIFY.md`.
/// Nothing of any other case is included (other entries appear only as hashes in proofs).
public struct EvidenceExporter: Sendable {
    /// This authority.
    let authority: AuthorityID
    /// Signs the manifest.
    let signer: MessageSigner

    /// Creates an exporter.
    public init(authority: AuthorityID, signer: MessageSigner) {
        self.authority = authority
        self.signer = signer
    }

    /// Builds the bundle for `caseID` from `reader`, against `head` (which must cover every
    /// entry of the case) and the tree of the log.
    public func export(
        caseID: String, reader: StoreReader, head: StoredTreeHead, tree: MerkleTree, now: Date
    ) throws -> Data {
        guard let record = try reader.case(caseID) else {
            throw RefGateError(.unknownCase, "no case \(caseID) at this node")
        }
        var files: [(String, Data)] = []
        // Messages and receipts, in the order they were recorded.
        let messages = try reader.messages(caseID: caseID)
        for (index, message) in messages.enumerated() {
            let name = String(format: "messages/%02d-%@-%@.jws", index + 1, message.kind.rawValue, message.id)
            files.append((name, Data(message.jws.utf8)))
            if let receipt = try reader.receipt(messageID: message.id) {
                files.append(("receipts/\(message.id).jws", Data(receipt.jws.utf8)))
            }
        }
        // Directory versions in force from the case's start to now; and every sign certificate
        // they list, as PEM, for openssl.
        let versions = try reader.directoryVersions()
        let firstInForce = versions.last { $0.installedAt <= record.createdAt }?.version ?? versions.first?.version ?? 0
        var certificates: [String: String] = [:]
        for version in versions where version.version >= firstInForce {
            guard let signed = version.signed else { continue }
            files.append(("directory/v\(version.version).jws", signed))
            let jws = try JWS(compact: String(decoding: signed, as: UTF8.self))
            let directory = try MessageCoding.decoder().decode(Directory.self, from: jws.payload)
            for entry in directory.authorities {
                for pem in [entry.signCertificate, entry.nextSignCertificate].compactMap({ $0 }) {
                    let certificate = try Certificate(pemEncoded: pem)
                    certificates[try Thumbprint.of(certificate)] = pem
                }
            }
        }
        for (kid, pem) in certificates.sorted(by: { $0.key < $1.key }) {
            files.append(("certificates/\(kid).pem", Data(pem.utf8)))
        }
        // The case's audit entries, byte-exact, with inclusion proofs against the head.
        let rows = try reader.auditRows(caseID: caseID)
        guard let last = rows.last?.seq, last < head.treeSize else {
            throw RefGateError(
                .internalError, "the tree head of \(head.treeSize) entries does not cover case \(caseID)'s entries")
        }
        let proofs = tree.inclusionProofs(indexes: rows.map(\.seq), size: head.treeSize)
        var inclusions: [EvidenceProofs.Inclusion] = []
        for row in rows {
            let file = "audit/entries/\(row.seq).json"
            files.append((file, row.entry))
            inclusions.append(
                .init(index: row.seq, file: file, proof: (proofs[row.seq] ?? []).map(\.hexEncoded)))
        }
        files.append(("audit/tree-head.jws", Data(head.jws.utf8)))
        // Heads of this log that peers receipted after the case's last entry.
        var witnessed: [EvidenceProofs.Witness] = []
        for peer in try reader.exchangePeers() {
            for sent in try reader.checkpointsSent(to: peer, limit: 1000) where sent.state == .delivered {
                guard let receipt = try reader.receipt(messageID: sent.messageID) else { continue }
                let size = try SignedTreeHead(checkpointMessage: sent.jws).head.treeSize
                guard size > last, size <= head.treeSize else { continue }
                let stem = "witness/\(peer.rawValue)-\(size)"
                files.append(("\(stem).checkpoint.jws", Data(sent.jws.utf8)))
                files.append(("\(stem).receipt.jws", Data(receipt.jws.utf8)))
                witnessed.append(
                    .init(
                        peer: peer, treeSize: size, checkpoint: "\(stem).checkpoint.jws",
                        receipt: "\(stem).receipt.jws",
                        consistency: tree.consistencyProof(oldSize: size, newSize: head.treeSize).map(\.hexEncoded)))
                break  // the newest witnessed head per peer is enough
            }
        }
        let proofsFile = EvidenceProofs(
            treeSize: head.treeSize, rootHash: head.rootHash.hexEncoded, entries: inclusions, witnessed: witnessed)
        files.append(("audit/proofs.json", try Self.encoder.encode(proofsFile)))
        files.append(("VERIFY.md", Data(EvidenceGuide.text.utf8)))

        let manifest = EvidenceManifest(
            authority: authority, case: caseID, exportedAt: now, treeSize: head.treeSize,
            files: files.map { .init(path: $0.0, sha256: Data(SHA256.hash(data: $0.1)).hexEncoded) })
        let manifestBytes = try Self.encoder.encode(manifest)
        files.append(("manifest.json", manifestBytes))
        files.append(("manifest.jws", Data(try signer.sign(manifest: manifestBytes).compact.utf8)))

        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in files {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: now,
                compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        guard let bytes = archive.data else { throw RefGateError(.internalError, "the ZIP archive has no data") }
        return bytes
    }

    static var encoder: JSONEncoder {
        let encoder = MessageCoding.encoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
