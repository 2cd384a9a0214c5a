import Foundation
import RefGateCore
import RefGateEvidence
import RefGateStore
import RefGateTrust

extension AuditTrail {
    /// The evidence bundle (ZIP) of one case, against a tree head signed now; the export is
    /// itself an audit entry (after the bundle's head, so the bundle is not changed by it).
    public func evidence(caseID: String, by actor: AuditActor? = nil) async throws -> Data {
        if let purged = try await store.read({ try $0.purgedAt(caseID: caseID) }) {
            throw RefGateError(
                .invalidTransition,
                "case \(caseID)'s messages were removed by retention on \(MessageCoding.formatInstant(purged)); its audit entries remain (refgate audit verify)"
            )
        }
        let now = clock.now()
        let exporter = EvidenceExporter(authority: authority, signer: signer)
        // One snapshot for the head and the bundle, so the head covers every entry exported.
        let (bundle, head) = try await store.read { reader -> (Data, StoredTreeHead) in
            let tree = MerkleTree(leafHashes: try reader.auditLeafHashes())
            let head =
                try reader.latestAuditHead().flatMap { $0.treeSize == tree.size ? $0 : nil }
                ?? self.signHead(tree, at: now)
            return (try exporter.export(caseID: caseID, reader: reader, head: head, tree: tree, now: now), head)
        }
        try await store.write { tx in
            try tx.insertAuditHead(head)
            try tx.appendAudit(
                AuditEvent(
                    .evidenceExported, caseID: caseID, actor: actor,
                    detail: [
                        "treeSize": "\(head.treeSize)", "bytes": "\(bundle.count)",
                        "sha256": Thumbprint.sha256(bundle),
                    ]),
                at: now)
        }
        logger.notice("evidence bundle exported", metadata: ["case": "\(caseID)", "bytes": "\(bundle.count)"])
        return bundle
    }
}
