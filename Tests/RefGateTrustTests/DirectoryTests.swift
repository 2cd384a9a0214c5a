import Crypto
import Foundation
import RefGateCore
import RefGateTestSupport
import Testing
import X509

@testable import RefGateTrust

@Suite(.timeLimit(.minutes(2))) struct DirectoryTests {
    let now = Date()
    let manchester = AuthorityID(rawValue: "E08000003")!
    let salford = AuthorityID(rawValue: "E08000006")!

    struct Region {
        let ca: RegionalCA
        let entries: [Directory.Entry]
        let folder: TemporaryFolder
    }

    func region() throws -> Region {
        let folder = try TemporaryFolder()
        let ca = try RegionalCA.create(region: "North West", now: now)
        var entries: [Directory.Entry] = []
        for (id, port) in [(manchester, 8443), (salford, 9443)] {
            try AuthorityCredentials.issue(
                by: ca, authority: id, name: "\(id)", host: "127.0.0.1", into: folder.file(id.rawValue), now: now)
            entries.append(
                try AuthorityCredentials.directoryEntry(
                    authority: id, name: "Authority \(id)", endpoint: "https://127.0.0.1:\(port)",
                    folder: folder.file(id.rawValue)))
        }
        return Region(ca: ca, entries: entries, folder: folder)
    }

    func directory(_ region: Region, version: Int = 3, expiresIn: TimeInterval = 86_400, revoked: [String] = [])
        -> Directory
    {
        Directory(
            region: "North West", version: version, issuedAt: now, expiresAt: now.addingTimeInterval(expiresIn),
            authorities: region.entries, revokedCertificates: revoked)
    }

    @Test func aSignedDirectoryVerifiesAndIndexesMembers() async throws {
        let region = try region()
        let signed = try directory(region).signed(by: region.ca)
        let trusted = try await TrustedDirectory.verify(
            compact: signed.compact, anchor: region.ca.certificate, now: now)
        #expect(trusted.directory.version == 3)
        let member = try #require(trusted.member(manchester))
        #expect(trusted.signer(kid: member.signThumbprint)?.id == manchester)
        #expect(
            trusted.authority(forAuthCertificateDER: try member.authCertificate.derBytes(), at: now) == manchester)
        #expect(signed.header.typ == JWSHeader.directoryType)
    }

    @Test func aDirectorySignedByAnotherCAIsRefused() async throws {
        let region = try region()
        let impostor = try RegionalCA.create(region: "North West", now: now)
        let signed = try directory(region).signed(by: impostor)
        let error = await #expect(throws: RefGateError.self) {
            try await TrustedDirectory.verify(compact: signed.compact, anchor: region.ca.certificate, now: now)
        }
        #expect(error?.code == .directoryInvalid)
    }

    @Test func anAlteredDirectoryIsRefused() async throws {
        let region = try region()
        let signed = try directory(region).signed(by: region.ca)
        var parts = signed.compact.split(separator: ".").map(String.init)
        var altered = directory(region)
        altered.authorities[0].endpoint = "https://attacker.example:443"
        parts[1] = Base64URL.encode(try MessageCoding.encoder().encode(altered))
        let error = await #expect(throws: RefGateError.self) {
            try await TrustedDirectory.verify(
                compact: parts.joined(separator: "."), anchor: region.ca.certificate, now: now)
        }
        #expect(error?.code == .directoryInvalid)
    }

    @Test func anExpiredDirectoryIsRefused() async throws {
        let region = try region()
        let signed = try directory(region, expiresIn: 60).signed(by: region.ca)
        let error = await #expect(throws: RefGateError.self) {
            try await TrustedDirectory.verify(
                compact: signed.compact, anchor: region.ca.certificate, now: now.addingTimeInterval(120))
        }
        #expect(error?.code == .directoryExpired)
    }

    @Test func anOlderDirectoryIsARollback() async throws {
        let region = try region()
        let signed = try directory(region, version: 2).signed(by: region.ca)
        let error = await #expect(throws: RefGateError.self) {
            try await TrustedDirectory.verify(
                compact: signed.compact, anchor: region.ca.certificate, now: now, heldVersion: 3)
        }
        #expect(error?.code == .directoryRollback)
        // The same version again is fine (a restart re-reads the file it holds).
        _ = try await TrustedDirectory.verify(
            compact: signed.compact, anchor: region.ca.certificate, now: now, heldVersion: 2)
    }

    @Test func revokedCertificatesAreNotTrusted() async throws {
        let region = try region()
        let first = try await TrustedDirectory.verify(
            compact: try directory(region).signed(by: region.ca).compact, anchor: region.ca.certificate, now: now)
        let member = try #require(first.member(manchester))
        let revoked = try directory(region, revoked: [member.signThumbprint, member.authThumbprint])
        let trusted = try await TrustedDirectory.verify(
            compact: try revoked.signed(by: region.ca).compact, anchor: region.ca.certificate, now: now)
        #expect(trusted.signer(kid: member.signThumbprint) == nil)
        #expect(trusted.authority(forAuthCertificateDER: try member.authCertificate.derBytes(), at: now) == nil)
        #expect(trusted.signer(kid: try #require(trusted.member(salford)).signThumbprint)?.id == salford)
    }

    /// One member's bad certificate leaves that member out, reported; the rest of the region
    /// stays trusted (refusing the whole directory would cut every authority off).
    @Test func anEntryWithAForeignCertificateIsLeftOut() async throws {
        var region = try region()
        let other = try RegionalCA.create(region: "Elsewhere", now: now)
        let foreign = try other.issue(
            .auth, authority: manchester, name: "M", host: "127.0.0.1", publicKey: P256.Signing.PrivateKey().publicKey,
            now: now)
        var entries = region.entries
        entries[0].authCertificate = try CertificateFile.pem(foreign)
        region = Region(ca: region.ca, entries: entries, folder: region.folder)
        let signed = try directory(region).signed(by: region.ca)
        let trusted = try await TrustedDirectory.verify(
            compact: signed.compact, anchor: region.ca.certificate, now: now)
        #expect(trusted.member(manchester) == nil)
        #expect(trusted.excluded[manchester]?.contains("does not validate against the regional CA") == true)
        #expect(trusted.member(salford) != nil && trusted.excluded[salford] == nil)
    }

    @Test func certificatesAndTheDirectoryAreCheckedWhenUsedNotOnlyWhenInstalled() async throws {
        let region = try region()
        let signed = try directory(region).signed(by: region.ca)
        let trusted = try await TrustedDirectory.verify(
            compact: signed.compact, anchor: region.ca.certificate, now: now)
        let member = try #require(trusted.member(salford))
        let der = try member.authCertificate.derBytes()
        #expect(trusted.authority(forAuthCertificateDER: der, at: now) == salford)
        let lapsed = member.authCertificate.notValidAfter.addingTimeInterval(1)
        #expect(trusted.authority(forAuthCertificateDER: der, at: lapsed) == nil)
        #expect(member.refusalToReceive(at: lapsed) == "the auth certificate of E08000006 has expired")
        #expect(throws: Never.self) { try trusted.checkInForce(at: now) }
        let error = #expect(throws: RefGateError.self) {
            try trusted.checkInForce(at: trusted.directory.expiresAt)
        }
        #expect(error?.code == .directoryExpired)
    }
}
