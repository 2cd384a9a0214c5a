import ArgumentParser
import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTrust

extension BenchCommand {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill a node's audit log and time a signed tree head and `refgate audit verify` over it.",
            discussion: """
                Appends ENTRIES realistic entries (10,000 per transaction, through the same append as the \
                engine), signs tree heads at half and at the full size, then runs the check `refgate audit \
                verify` runs: every entry's link and hash, the tree recomputed, every head's signature and root.
                """)

        @Option(help: "Audit entries to append.") var entries: Int = 1_000_000

        func run() async throws {
            let (region, logger) = try BenchCommand.region()
            let configuration = try NodeConfiguration.load(path: region.configA)
            let store = try Store(configuration.database)
            let signer = try MessageSigner(
                certificate: try CertificateFile.loadCertificate(configuration.signCertificate, what: "sign"),
                key: try CertificateFile.loadPrivateKey(configuration.signKey, what: "sign key"))
            let start = Date()
            let loadStart = ContinuousClock.now
            var loaded = 0
            while loaded < entries {
                let count = min(10_000, entries - loaded)
                let first = loaded
                try store.writeSync { tx in
                    for index in first..<(first + count) {
                        let caseID = String(format: "00000000-0000-4000-8000-%012d", index / 12)
                        try tx.appendAudit(
                            AuditEvent(
                                .messageSent, caseID: caseID, subject: UUID().uuidString.lowercased(),
                                detail: [
                                    "kind": "verification-request", "peer": region.b.rawValue,
                                    "digest": Thumbprint.sha256(Data("\(index)".utf8)),
                                ]),
                            at: start.addingTimeInterval(Double(index) / 1000))
                    }
                }
                loaded += count
            }
            let loadTime = ContinuousClock.now - loadStart
            func head(size: Int) throws -> Duration {
                let headStart = ContinuousClock.now
                let tree = MerkleTree(leafHashes: try store.readSync { Array(try $0.auditLeafHashes().prefix(size)) })
                let root = tree.root()
                let jws = try signer.sign(
                    treeHead: TreeHead(
                        authority: configuration.authority, treeSize: size, rootHash: root.hexEncoded,
                        timestamp: Date()))
                try store.writeSync { tx in
                    try tx.insertAuditHead(
                        StoredTreeHead(treeSize: size, rootHash: root, madeAt: Date(), jws: jws.compact))
                }
                return ContinuousClock.now - headStart
            }
            _ = try head(size: entries / 2)
            let headTime = try head(size: entries)
            // One case's proofs, as an evidence bundle makes them: 12 entries spread over the log.
            let tree = MerkleTree(leafHashes: try store.readSync { try $0.auditLeafHashes() })
            let indexes = (0..<12).map { entries / 13 * ($0 + 1) }
            let proofStart = ContinuousClock.now
            let proofs = tree.inclusionProofs(indexes: indexes, size: entries)
            let proofTime = ContinuousClock.now - proofStart
            let oneStart = ContinuousClock.now
            _ = tree.inclusionProof(index: indexes[0], size: entries)
            let oneTime = ContinuousClock.now - oneStart
            let verifyStart = ContinuousClock.now
            let (report, _) = try await AuditCheck.run(
                configuration: configuration, peerCheckpoints: false, logger: logger)
            let verifyTime = ContinuousClock.now - verifyStart
            let bytes =
                (try? FileManager.default.attributesOfItem(atPath: configuration.database.description)[.size] as? Int)
                ?? 0
            print(
                "audit entries:         \(entries) (load \(String(format: "%.1f", loadTime.seconds)) s, database \(bytes / 1_048_576) MiB)"
            )
            print("signed tree head:      \(String(format: "%.2f", headTime.seconds)) s over \(entries) entries")
            print(
                "inclusion proofs:      \(String(format: "%.2f", proofTime.seconds)) s for \(proofs.count) entries together (one alone: \(String(format: "%.2f", oneTime.seconds)) s)"
            )
            print(
                "refgate audit verify:  \(String(format: "%.2f", verifyTime.seconds)) s (\(report.heads) heads, \(report.verified ? "verified" : "FAILED: \(report.failure?.reason ?? "")"))"
            )
            try? FileManager.default.removeItem(atPath: region.root)
        }
    }
}
