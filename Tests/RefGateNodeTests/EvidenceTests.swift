import Foundation
import RefGateCore
import RefGateEvidence
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing
import ZIPFoundation

/// Evidence bundles of a real escalated case: checked offline by refgate's verifier and by an
/// independent Python verifier written from the bundle's VERIFY.md; altered bundles refused.
@Suite(.serialized, .timeLimit(.minutes(5))) struct EvidenceTests {
    static func files(_ bundle: Data) throws -> [String: Data] {
        let archive = try Archive(data: bundle, accessMode: .read)
        var files: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            files[entry.path] = data
        }
        return files
    }

    static func zip(_ files: [String: Data]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        return try #require(archive.data)
    }

    /// The Python verifier's verdict on `bundle`.
    static func python(_ bundle: Data, region: TestRegion) throws -> (verified: Bool, failures: [String]) {
        let path = region.folder.file("bundle-\(UUID().uuidString).zip")
        try bundle.write(to: URL(fileURLWithPath: path))
        let run = try ExternalTool.run(
            ["python3", "\(ExternalTool.interopFolder)/verify_evidence.py", path, region.folder.file("ca/ca.pem")])
        struct Verdict: Decodable {
            var verified: Bool
            var failures: [String]
        }
        guard let verdict = try? JSONDecoder().decode(Verdict.self, from: Data(run.output.utf8)) else {
            Issue.record("the Python verifier did not answer: \(run.combined)")
            return (false, [])
        }
        #expect((run.status == 0) == verdict.verified)
        return (verdict.verified, verdict.failures)
    }

    @Test func aBundleVerifiesOfflineTwiceOverAndAlteredOnesDoNot() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        let (opened, bundle) = try await withRunning([a, b]) { () -> (CaseView, Data) in
            let opened = try await AuditTests.escalatedCase(a, b)
            // Another case, of another candidate, which must not appear in the bundle.
            var other = TestRegion.draft()
            other.candidate = .init(
                name: "Robin Other", registration: .init(body: "social-work-england", number: "SW999111"))
            _ = try await a.engine.commands.sendRequest(other)
            // Salford witnesses a head covering the case.
            #expect(try await a.engine.audit.tick() == 1)
            try await eventually("witnessed") {
                try await a.store.read { try $0.checkpointsSent(to: TestRegion.salford) }.first?.state == .delivered
            }
            return (opened, try await a.engine.audit.evidence(caseID: opened.id))
        }
        let files = try Self.files(bundle)
        #expect(files["VERIFY.md"].map { String(decoding: $0, as: UTF8.self).contains("RFC 9162") } == true)
        #expect(
            files.keys.filter { $0.hasPrefix("messages/") }.count == 4, "request, response, notice, acknowledgement")
        #expect(files.keys.contains { $0.hasPrefix("witness/") && $0.hasSuffix(".receipt.jws") })
        for (path, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("Robin Other") && !text.contains("SW999111"), "\(path) holds another case's data")
        }
        #expect(
            try await a.store.read { try $0.auditRows(caseID: opened.id) }.last.map {
                (try? AuditEntry.decode($0.entry))?.action == .evidenceExported
            } == true, "the export is itself an audit entry")

        let ca = try CertificateFile.loadCertificate(region.folder.file("ca/ca.pem"), what: "CA")
        let verifier = try EvidenceVerifier(caCertificate: ca)
        let report = verifier.verify(bundle: bundle)
        #expect(report.verified, "\(report.failures)")
        let python = try Self.python(bundle, region: region)
        #expect(python.verified, "\(python.failures)")

        // Another CA is not the region's: nothing verifies.
        let foreign = try CertificateFile.loadCertificate(region.folder.file("foreign-ca/ca.pem"), what: "CA")
        #expect(!(try EvidenceVerifier(caCertificate: foreign).verify(bundle: bundle).verified))

        let request = try #require(files.keys.first { $0.hasPrefix("messages/01-") })
        let response = try #require(files.keys.first { $0.hasPrefix("messages/02-") })
        // messages/NN-KIND-ID.jws, ID a UUID (36 characters).
        let requestID = String(request.dropLast(4).suffix(36))
        let responseID = String(response.dropLast(4).suffix(36))
        #expect(files["receipts/\(requestID).jws"] != nil && files["receipts/\(responseID).jws"] != nil)
        let entry = try #require(files.keys.sorted().first { $0.hasPrefix("audit/entries/") })
        var tampers: [(String, [String: Data], String)] = []
        // A changed message byte (inside the signed payload).
        var changed = files
        var bytes = [UInt8](files[request]!)
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))!
        bytes[dot + 12] = bytes[dot + 12] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        changed[request] = Data(bytes)
        tampers.append(("a changed message byte", changed, request))
        // Swapped receipts.
        var swapped = files
        swapped["receipts/\(requestID).jws"] = files["receipts/\(responseID).jws"]
        swapped["receipts/\(responseID).jws"] = files["receipts/\(requestID).jws"]
        tampers.append(("swapped receipts", swapped, "receipts/"))
        // A forged tree head: another root in the payload, the old signature kept.
        var forged = files
        let head = String(decoding: files["audit/tree-head.jws"]!, as: UTF8.self).split(separator: ".").map(String.init)
        let headPayload = try #require(Base64URL.decode(head[1]))
        var payload = try #require(try JSONSerialization.jsonObject(with: headPayload) as? [String: Any])
        payload["rootHash"] = String(repeating: "ab", count: 32)
        let forgedPayload = Base64URL.encode(try JSONSerialization.data(withJSONObject: payload, options: .sortedKeys))
        forged["audit/tree-head.jws"] = Data("\(head[0]).\(forgedPayload).\(head[2])".utf8)
        tampers.append(("a forged tree head", forged, "tree-head"))
        // A missing proof.
        var missing = files
        var proofs = try JSONDecoder().decode(EvidenceProofs.self, from: files["audit/proofs.json"]!)
        proofs.entries.removeAll { $0.file == entry }
        missing["audit/proofs.json"] = try JSONEncoder().encode(proofs)
        tampers.append(("a missing proof", missing, entry))

        for (name, tampered, mention) in tampers {
            let altered = try Self.zip(tampered)
            let swift = verifier.verify(bundle: altered)
            #expect(!swift.verified, "refgate accepts \(name)")
            #expect(swift.failures.contains { $0.contains(mention) }, "\(name): \(swift.failures)")
            let python = try Self.python(altered, region: region)
            #expect(!python.verified, "the Python verifier accepts \(name)")
            #expect(python.failures.contains { $0.contains(mention) }, "\(name): \(python.failures)")
        }
    }
}
