import Crypto
import Foundation
import RefGateCore
import RefGateTestSupport
import Testing
import X509

@testable import RefGateTrust

@Suite(.timeLimit(.minutes(2))) struct PKITests {
    let now = Date()
    let manchester = AuthorityID(rawValue: "E08000003")!

    @Test func issuedCertificatesChainToTheRegionalCA() async throws {
        let ca = try RegionalCA.create(region: "North West", now: now)
        let key = P256.Signing.PrivateKey()
        let auth = try ca.issue(
            .auth, authority: manchester, name: "Manchester", host: "refgate.manchester.example",
            publicKey: key.publicKey, now: now)
        let sign = try ca.issue(
            .sign, authority: manchester, name: "Manchester", host: "refgate.manchester.example",
            publicKey: key.publicKey, now: now)
        try await ChainValidator.validate(auth, kind: .auth, anchor: ca.certificate, at: now)
        try await ChainValidator.validate(sign, kind: .sign, anchor: ca.certificate, at: now)
        let eku = try #require(try auth.extensions.extendedKeyUsage)
        #expect(eku.contains(.serverAuth) && eku.contains(.clientAuth))
        let san = try #require(try auth.extensions.subjectAlternativeNames)
        #expect(san.contains(.dnsName("refgate.manchester.example")))
        #expect(try sign.extensions.keyUsage?.digitalSignature == true)
    }

    @Test func aSignCertificateIsNotAnAuthCertificate() async throws {
        let ca = try RegionalCA.create(region: "North West", now: now)
        let sign = try ca.issue(
            .sign, authority: manchester, name: "M", host: "127.0.0.1", publicKey: P256.Signing.PrivateKey().publicKey,
            now: now)
        await #expect(throws: RefGateError.self) {
            try await ChainValidator.validate(sign, kind: .auth, anchor: ca.certificate, at: now)
        }
    }

    @Test func aCertificateFromAnotherCAIsRejected() async throws {
        let ca = try RegionalCA.create(region: "North West", now: now)
        let other = try RegionalCA.create(region: "Elsewhere", now: now)
        let auth = try other.issue(
            .auth, authority: manchester, name: "M", host: "127.0.0.1", publicKey: P256.Signing.PrivateKey().publicKey,
            now: now)
        await #expect(throws: RefGateError.self) {
            try await ChainValidator.validate(auth, kind: .auth, anchor: ca.certificate, at: now)
        }
    }

    @Test func anExpiredCertificateIsRejected() async throws {
        let ca = try RegionalCA.create(region: "North West", now: now)
        let auth = try ca.issue(
            .auth, authority: manchester, name: "M", host: "127.0.0.1", publicKey: P256.Signing.PrivateKey().publicKey,
            now: now, validFor: 3600)
        await #expect(throws: RefGateError.self) {
            try await ChainValidator.validate(
                auth, kind: .auth, anchor: ca.certificate, at: now.addingTimeInterval(7200))
        }
    }

    @Test func keysAreWrittenWithMode0600AndReloaded() throws {
        let folder = try TemporaryFolder()
        let ca = try RegionalCA.create(region: "North West", now: now)
        try ca.save(to: folder.file("ca"))
        try AuthorityCredentials.issue(
            by: ca, authority: manchester, name: "M", host: "127.0.0.1", into: folder.file("m"), now: now)
        for key in ["ca/ca.key", "m/auth.key", "m/sign.key"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.file(key))
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(key)")
        }
        let reloaded = try RegionalCA.load(from: folder.file("ca"))
        #expect(reloaded.certificate == ca.certificate)
        #expect(throws: RefGateError.self) {
            try RegionalCA(certificate: ca.certificate, privateKey: P256.Signing.PrivateKey())
        }
    }

    /// OpenSSL, an independent implementation, accepts what swift-certificates issued.
    @Test func opensslVerifiesIssuedCertificates() throws {
        let folder = try TemporaryFolder()
        let ca = try RegionalCA.create(region: "North West", now: now)
        try ca.save(to: folder.file("ca"))
        try AuthorityCredentials.issue(
            by: ca, authority: manchester, name: "Manchester City Council", host: "127.0.0.1", into: folder.file("m"),
            now: now)
        let auth = try ExternalTool.run([
            "openssl", "verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", folder.file("ca/ca.pem"),
            folder.file("m/auth.pem"),
        ])
        #expect(auth.status == 0, "\(auth.combined)")
        let server = try ExternalTool.run([
            "openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", folder.file("ca/ca.pem"),
            folder.file("m/auth.pem"),
        ])
        #expect(server.status == 0, "\(server.combined)")
        let sign = try ExternalTool.run([
            "openssl", "verify", "-x509_strict", "-CAfile", folder.file("ca/ca.pem"), folder.file("m/sign.pem"),
        ])
        #expect(sign.status == 0, "\(sign.combined)")
        let other = try RegionalCA.create(region: "Elsewhere", now: now)
        try other.save(to: folder.file("other"))
        let foreign = try ExternalTool.run([
            "openssl", "verify", "-CAfile", folder.file("other/ca.pem"), folder.file("m/auth.pem"),
        ])
        #expect(foreign.status != 0)
    }
}

/// Files are replaced atomically: a new file beside the old, synced, renamed over it.
@Suite(.timeLimit(.minutes(2))) struct AtomicFileTests {
    @Test func secretsOthersMayReadOrThatAreLinksAreRefused() throws {
        let folder = try TemporaryFolder()
        let key = P256.Signing.PrivateKey()
        let path = folder.file("sign.key")
        try PEMFile.writePrivateKey(key.pemRepresentation, to: path)
        #expect(try CertificateFile.loadPrivateKey(path, what: "sign key").rawRepresentation == key.rawRepresentation)
        for loose in [0o640, 0o604, 0o644, 0o660] {
            _ = chmod(path, mode_t(loose))
            let error = #expect(throws: RefGateError.self) {
                try CertificateFile.loadPrivateKey(path, what: "sign key")
            }
            #expect(error?.detail.contains("chmod 600 \(path)") == true, "\(String(describing: error))")
        }
        _ = chmod(path, 0o600)
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.key"), withDestinationPath: path)
        let linked = #expect(throws: RefGateError.self) {
            try CertificateFile.loadPrivateKey(folder.file("link.key"), what: "sign key")
        }
        #expect(linked?.detail.contains("symbolic link") == true)
    }

    @Test func aRewriteReplacesTheWholeFileWithItsModeAndLeavesNothingBehind() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("directory.jws")
        try PEMFile.writePublic("version 1\n", to: path)
        try PEMFile.writePublic("version 2, longer than the first\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "version 2, longer than the first\n")
        let key = folder.file("sign.key")
        try PEMFile.writePublic("was public\n", to: key)
        try PEMFile.writePrivateKey("secret\n", to: key)
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["directory.jws", "sign.key"])
        // Exports of personal data (evidence bundles, subject access exports) likewise, even
        // over a file that was world-readable.
        let export = folder.file("export.zip")
        try PEMFile.writePublic("old\n", to: export)
        try PEMFile.writePrivate(Data([0x50, 0x4B, 0x03, 0x04]), to: export)
        let exportMode = try FileManager.default.attributesOfItem(atPath: export)[.posixPermissions] as? NSNumber
        #expect(exportMode?.intValue == 0o600)
        #expect(FileManager.default.contents(atPath: export) == Data([0x50, 0x4B, 0x03, 0x04]))
    }
}
