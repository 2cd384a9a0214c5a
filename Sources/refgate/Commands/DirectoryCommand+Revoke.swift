import ArgumentParser
import Foundation
import RefGateCore
import RefGateTrust

extension DirectoryCommand {
    /// The next directory version with certificates revoked.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Revoke certificates: the next directory version, with their thumbprints added to its revocations.",
            discussion:
                "Reads the directory in force, adds each certificate's SHA-256 thumbprint to revokedCertificates, bumps the version, renews the expiry and signs it with the CA key. Install it on every node (refgate directory install): a node then sends nothing to a revoked auth certificate and accepts nothing presented or signed with a revoked certificate."
        )

        @Option(name: .customLong("ca"), help: "Folder holding ca.pem and ca.key.") var caFolder: String
        @Option(help: "The signed directory in force.") var directory: String
        @Option(help: "A certificate to revoke (PEM; repeatable).") var certificate: [String]
        @Option(help: "Days until the new version expires.") var days: Int = 30
        @Option(help: "Where to write the new signed directory.") var out: String

        func run() async throws {
            guard !certificate.isEmpty else {
                throw RefGateError(.invalidInput, "name at least one --certificate to revoke")
            }
            let ca = try RegionalCA.load(from: caFolder)
            let now = Date()
            let compact = try PEMFile.read(directory, what: "directory").trimmingCharacters(in: .whitespacesAndNewlines)
            let current = try await TrustedDirectory.verify(compact: compact, anchor: ca.certificate, now: now)
            var next = current.directory
            for path in certificate {
                let thumbprint = try Thumbprint.of(try CertificateFile.loadCertificate(path, what: "certificate"))
                if !next.revokedCertificates.contains(thumbprint) { next.revokedCertificates.append(thumbprint) }
                print("revoked: \(path) (thumbprint \(thumbprint))")
            }
            next.version += 1
            next.issuedAt = now.atMillisecondPrecision
            next.expiresAt = now.addingTimeInterval(TimeInterval(days) * 86_400).atMillisecondPrecision
            let signed = try next.signed(by: ca)
            _ = try await TrustedDirectory.verify(
                compact: signed.compact, anchor: ca.certificate, now: now, heldVersion: current.directory.version)
            try PEMFile.writePublic(signed.compact + "\n", to: out)
            print("directory version \(next.version) written to \(out); install it on every node")
        }
    }
}
