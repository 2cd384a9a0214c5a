import Crypto
import Foundation
import RefGateCore
import RefGateTrust
import X509
import ZIPFoundation

/// What `refgate evidence verify` found: each check that passed, and every failure.
public struct EvidenceReport: Codable, Sendable, Hashable {
    /// The case.
    public var caseID: String?
    /// The exporting authority.
    public var authority: AuthorityID?
    /// Checks that passed, in words.
    public var passed: [String] = []
    /// Checks that failed, in words; empty means the bundle verifies.
    public var failures: [String] = []

    /// True when nothing failed.
    public var verified: Bool { failures.isEmpty && !passed.isEmpty }
}

/// Checks a bundle offline, as `VERIFY.md` describes, trusting only the regional CA
/// certificate given. Every check runs, so a report names everything wrong, not just the first.
public struct EvidenceVerifier: Sendable {
    let ca: Certificate
    let caKey: P256.Signing.PublicKey

    /// Creates a verifier anchored at the regional CA certificate.
    public init(caCertificate: Certificate) throws {
        guard let key = P256.Signing.PublicKey(caCertificate.publicKey) else {
            throw RefGateError(.certificateInvalid, "the CA certificate does not hold a P-256 key")
        }
        ca = caCertificate
        caKey = key
    }

    /// Verifies the ZIP `bundle`.
    public func verify(bundle: Data) -> EvidenceReport {
        var report = EvidenceReport()
        let files: [String: Data]
        do {
            files = try Self.read(bundle)
        } catch let error as RefGateError {
            report.failures.append("the bundle is refused: \(error.detail)")
            return report
        } catch {
            report.failures.append("the bundle is not a readable ZIP: \(error)")
            return report
        }
        var check = Checker(files: files, report: report)
        check.run(ca: ca, caKey: caKey)
        return check.report
    }

    /// How much of a bundle is read: no real bundle comes near these, and a ZIP bomb stops at them.
    public struct Limits: Sendable {
        /// Entries in the archive.
        public var entries = 10_000
        /// Bytes one entry inflates to.
        public var entryBytes = 8 << 20
        /// Bytes all entries together inflate to.
        public var totalBytes = 64 << 20
        /// The defaults.
        public init() {}
    }

    /// The bundle's files by path. Refuses (before inflating anything) more entries than the
    /// limit, two entries with one name (a tool that extracts one copy would show other bytes
    /// than were checked), links and paths that climb out of the folder; stops inflating at the
    /// size limits whatever sizes the archive declares.
    static func read(_ bundle: Data, limits: Limits = Limits()) throws -> [String: Data] {
        let archive = try Archive(data: bundle, accessMode: .read)
        var entries: [Entry] = []
        var seen: Set<String> = []
        for entry in archive {
            entries.append(entry)
            guard entries.count <= limits.entries else {
                throw RefGateError(.invalidInput, "the bundle has more than \(limits.entries) entries")
            }
            let path = entry.path
            guard seen.insert(path).inserted else {
                throw RefGateError(.invalidInput, "the bundle has two entries named \(path.escapedForDisplay())")
            }
            guard entry.type != .symlink else {
                throw RefGateError(.invalidInput, "the bundle entry \(path.escapedForDisplay()) is a link")
            }
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.hasPrefix("/"), !path.contains("\\"), !parts.contains(".."), !path.isEmpty else {
                throw RefGateError(
                    .invalidInput, "the bundle entry \(path.escapedForDisplay()) is not a plain relative path")
            }
        }
        var files: [String: Data] = [:]
        var total = 0
        for entry in entries where entry.type == .file {
            guard entry.uncompressedSize <= UInt64(limits.entryBytes) else {
                throw RefGateError(
                    .invalidInput, "\(entry.path.escapedForDisplay()) would inflate past \(limits.entryBytes) bytes")
            }
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                total += chunk.count
                // Declared sizes can lie: count what actually comes out.
                guard data.count <= limits.entryBytes, total <= limits.totalBytes else {
                    throw RefGateError(
                        .invalidInput,
                        "\(entry.path.escapedForDisplay()) inflates past the limit (\(limits.entryBytes) bytes an entry, \(limits.totalBytes) in all)"
                    )
                }
            }
            files[entry.path] = data
        }
        return files
    }
}

/// One verification run over the bundle's files.
private struct Checker {
    let files: [String: Data]
    var report: EvidenceReport
    /// Sign keys listed in the bundle's verified directories: kid → (authority, key).
    var signers: [String: (AuthorityID, P256.Signing.PublicKey)] = [:]

    init(files: [String: Data], report: EvidenceReport) {
        self.files = files
        self.report = report
    }

    mutating func pass(_ text: String) { report.passed.append(text) }
    mutating func fail(_ text: String) { report.failures.append(text) }

    mutating func run(ca: Certificate, caKey: P256.Signing.PublicKey) {
        guard let manifestBytes = files["manifest.json"],
            let manifest = try? MessageCoding.decoder().decode(EvidenceManifest.self, from: manifestBytes),
            manifest.format == EvidenceManifest.format
        else {
            fail("manifest.json is missing or not a refgate-evidence/1 manifest")
            return
        }
        report.caseID = manifest.case
        report.authority = manifest.authority
        checkDirectories(ca: ca, caKey: caKey)
        checkManifest(manifest, bytes: manifestBytes)
        checkMessages(manifest)
        checkAudit(manifest)
    }

    // MARK: 1. Manifest

    mutating func checkManifest(_ manifest: EvidenceManifest, bytes: Data) {
        if let jws = jws("manifest.jws", typ: JWSHeader.evidenceType, by: manifest.authority) {
            if jws.payload == bytes {
                pass("manifest.jws signs manifest.json")
            } else {
                fail("manifest.jws does not sign the bytes of manifest.json")
            }
        }
        let listed = Set(manifest.files.map(\.path))
        for file in manifest.files {
            guard let data = files[file.path] else {
                fail("\(file.path) is listed in the manifest but missing")
                continue
            }
            if Data(SHA256.hash(data: data)).hexEncoded != file.sha256 {
                fail("\(file.path) does not match its SHA-256 in the manifest (changed)")
            }
        }
        for path in files.keys.sorted()
        where !listed.contains(path) && path != "manifest.json" && path != "manifest.jws" {
            fail("\(path) is in the bundle but not in the manifest")
        }
        pass("\(manifest.files.count) files checked against the manifest")
    }

    // MARK: 2. Directory and certificates

    mutating func checkDirectories(ca: Certificate, caKey: P256.Signing.PublicKey) {
        let caKid = try? Thumbprint.of(ca)
        let paths = files.keys.filter { $0.hasPrefix("directory/") }.sorted()
        if paths.isEmpty { fail("no signed directory in the bundle") }
        for path in paths {
            guard let text = files[path].map({ String(decoding: $0, as: UTF8.self) }),
                let jws = try? JWS(compact: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                jws.header.typ == JWSHeader.directoryType, jws.header.kid == caKid,
                (try? jws.verify(with: caKey)) != nil,
                let directory = try? MessageCoding.decoder().decode(Directory.self, from: jws.payload)
            else {
                fail("\(path) is not a directory signed by the given regional CA")
                continue
            }
            for entry in directory.authorities {
                for pem in [entry.signCertificate, entry.nextSignCertificate].compactMap({ $0 }) {
                    guard let certificate = try? Certificate(pemEncoded: pem),
                        let key = P256.Signing.PublicKey(certificate.publicKey),
                        let kid = try? Thumbprint.of(certificate)
                    else { continue }
                    signers[kid] = (entry.id, key)
                }
            }
            pass("\(path) is signed by the regional CA (version \(directory.version))")
        }
        for path in files.keys.filter({ $0.hasPrefix("certificates/") }).sorted() {
            let kid = String(path.dropFirst("certificates/".count).dropLast(".pem".count))
            guard let pem = files[path].map({ String(decoding: $0, as: UTF8.self) }),
                let certificate = try? Certificate(pemEncoded: pem), (try? Thumbprint.of(certificate)) == kid,
                signers[kid] != nil, certificate.issuer == ca.subject,
                ca.publicKey.isValidSignature(certificate.signature, for: certificate)
            else {
                fail("\(path) is not a listed sign certificate issued by the regional CA")
                continue
            }
        }
    }

    /// Parses and verifies a JWS file signed by `authority` (one of its listed sign keys).
    mutating func jws(_ path: String, typ: String, by authority: AuthorityID?) -> JWS? {
        guard let data = files[path] else {
            fail("\(path) is missing")
            return nil
        }
        guard let jws = try? JWS(compact: String(decoding: data, as: UTF8.self)), jws.header.typ == typ else {
            fail("\(path) is not a \(typ) JWS")
            return nil
        }
        guard let (signer, key) = signers[jws.header.kid] else {
            fail("\(path) is signed by a key no directory in the bundle lists (kid \(jws.header.kid))")
            return nil
        }
        guard (try? jws.verify(with: key)) != nil else {
            fail("\(path): the signature does not verify (altered or forged)")
            return nil
        }
        if let authority, signer != authority {
            fail("\(path) is signed by \(signer), not \(authority)")
            return nil
        }
        return jws
    }

    // MARK: 3. Messages and receipts

    mutating func checkMessages(_ manifest: EvidenceManifest) {
        let paths = files.keys.filter { $0.hasPrefix("messages/") }.sorted()
        for path in paths {
            guard let data = files[path], let text = Optional(String(decoding: data, as: UTF8.self)),
                let unverified = try? JWS(compact: text),
                let message = try? RefGateMessage.decode(payload: unverified.payload)
            else {
                fail("\(path) is not a refgate message")
                continue
            }
            guard jws(path, typ: JWSHeader.messageType, by: message.from) != nil else { continue }
            if !path.hasSuffix("-\(message.id).jws") { fail("\(path) holds message \(message.id)") }
            if message.caseID != manifest.case { fail("\(path) belongs to another case") }
            let receiptPath = "receipts/\(message.id).jws"
            guard files[receiptPath] != nil else {
                fail("\(path) has no receipt")
                continue
            }
            checkReceipt(receiptPath, for: data, messageID: message.id, by: message.to)
        }
        pass("\(paths.count) messages and their receipts checked")
    }

    mutating func checkReceipt(_ path: String, for message: Data, messageID: String, by authority: AuthorityID) {
        guard let jws = jws(path, typ: JWSHeader.messageType, by: authority),
            case .receipt(let receipt)? = try? RefGateMessage.decode(payload: jws.payload)
        else {
            if files[path] != nil, !report.failures.contains(where: { $0.hasPrefix(path) }) {
                fail("\(path) is not a receipt")
            }
            return
        }
        if receipt.messageId != messageID || receipt.messageDigest != Thumbprint.sha256(message) {
            fail("\(path) is not the receipt of message \(messageID)'s exact bytes (swapped or altered)")
        }
    }

    // MARK: 4-5. Audit entries, tree head, witnesses

    mutating func checkAudit(_ manifest: EvidenceManifest) {
        guard let proofsData = files["audit/proofs.json"],
            let proofs = try? JSONDecoder().decode(EvidenceProofs.self, from: proofsData)
        else {
            fail("audit/proofs.json is missing or unreadable")
            return
        }
        guard let headJWS = jws("audit/tree-head.jws", typ: JWSHeader.treeHeadType, by: manifest.authority),
            let head = try? SignedTreeHead(compact: headJWS.compact)
        else { return }
        guard head.head.treeSize == proofs.treeSize, head.head.rootHash == proofs.rootHash,
            head.head.authority == manifest.authority
        else {
            fail("audit/tree-head.jws does not match audit/proofs.json (forged tree head)")
            return
        }
        pass("the tree head of \(proofs.treeSize) entries is signed by \(manifest.authority)")
        let listed = Set(proofs.entries.map(\.file))
        for path in files.keys.filter({ $0.hasPrefix("audit/entries/") }).sorted() where !listed.contains(path) {
            fail("\(path) has no inclusion proof (missing proof)")
        }
        for inclusion in proofs.entries {
            guard let data = files[inclusion.file] else {
                fail("\(inclusion.file) is missing")
                continue
            }
            let proof = inclusion.proof.compactMap { Data(hexEncoded: $0) }
            guard let entry = try? AuditEntry.decode(data), entry.seq == inclusion.index,
                entry.case == manifest.case
            else {
                fail("\(inclusion.file) is not entry \(inclusion.index) of this case")
                continue
            }
            guard proof.count == inclusion.proof.count,
                MerkleProof.verifyInclusion(
                    leafHash: MerkleTree.leafHash(data), index: inclusion.index, size: proofs.treeSize, proof: proof,
                    root: head.root)
            else {
                fail("\(inclusion.file): the inclusion proof does not lead to the signed root (altered entry or proof)")
                continue
            }
        }
        pass("\(proofs.entries.count) audit entries are in the signed tree")
        for witness in proofs.witnessed {
            checkWitness(witness, head: head, manifest: manifest)
        }
        pass("\(proofs.witnessed.count) witnessed heads checked")
    }

    mutating func checkWitness(_ witness: EvidenceProofs.Witness, head: SignedTreeHead, manifest: EvidenceManifest) {
        guard let message = jws(witness.checkpoint, typ: JWSHeader.messageType, by: manifest.authority),
            case .checkpoint(let checkpoint)? = try? RefGateMessage.decode(payload: message.payload),
            checkpoint.to == witness.peer,
            let witnessed = try? SignedTreeHead(compact: checkpoint.treeHead),
            signers[witnessed.jws.header.kid]?.0 == manifest.authority,
            let key = signers[witnessed.jws.header.kid]?.1, (try? witnessed.jws.verify(with: key)) != nil,
            witnessed.head.treeSize == witness.treeSize
        else {
            fail("\(witness.checkpoint) is not a checkpoint of \(witness.treeSize) entries sent to \(witness.peer)")
            return
        }
        checkReceipt(
            witness.receipt, for: files[witness.checkpoint] ?? Data(), messageID: checkpoint.id, by: witness.peer)
        let proof = witness.consistency.compactMap { Data(hexEncoded: $0) }
        guard proof.count == witness.consistency.count,
            MerkleProof.verifyConsistency(
                oldSize: witness.treeSize, newSize: head.head.treeSize, oldRoot: witnessed.root, newRoot: head.root,
                proof: proof)
        else {
            fail("the head \(witness.peer) witnessed (\(witness.treeSize) entries) is not consistent with the bundle's")
            return
        }
    }
}
