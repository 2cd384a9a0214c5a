import ArgumentParser
import Foundation
import RefGateCore
import RefGateTrust
import X509

struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "Build, sign, inspect and install the regional directory.",
        subcommands: [Sign.self, Revoke.self, Show.self, Install.self, Publish.self])

    /// One line of a members file.
    struct MemberSpec: Decodable {
        var id: String
        var name: String
        var endpoint: String
        var certificates: String
        /// While the authority rotates: the folder of its next auth.pem and sign.pem.
        var nextCertificates: String?
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a directory from a members file with the regional CA key.",
            discussion: """
                The members file is a JSON array: [{"id": "E08000003", "name": "Manchester City Council",
                "endpoint": "https://refgate.manchester.example:8443", "certificates": "E08000003"}], where
                certificates is the folder holding that authority's auth.pem and sign.pem (relative to the file). \
                While an authority rotates its keys, "nextCertificates" names the folder of its next pair: both \
                pairs are accepted until a later version lists only the new one.
                """)

        @Option(name: .customLong("ca"), help: "Folder holding ca.pem and ca.key.") var caFolder: String
        @Option(help: "The members file.") var members: String
        @Option(help: "The region's name.") var region: String
        @Option(help: "Directory version; must be higher than any version nodes hold.") var version: Int
        @Option(help: "Days until it expires.") var days: Int = 30
        @Option(help: "Thumbprint of a revoked certificate (repeatable).") var revoke: [String] = []
        @Option(help: "Where to write the signed directory (compact JWS).") var out: String
        @Option(
            help:
                "GSS code of the member that receives the region's figures (release 1.3.0 on; earlier nodes refuse a directory naming one)."
        ) var coordinator: String?

        func run() async throws {
            let ca = try RegionalCA.load(from: caFolder)
            let data = try Data(contentsOf: URL(fileURLWithPath: members))
            let specs: [MemberSpec]
            do { specs = try JSONDecoder().decode([MemberSpec].self, from: data) } catch {
                throw RefGateError(
                    .invalidInput, "\(members) is not a JSON array of {id, name, endpoint, certificates}: \(error)")
            }
            let base = (members as NSString).deletingLastPathComponent
            func resolved(_ folder: String) -> String {
                folder.hasPrefix("/") ? folder : "\(base.isEmpty ? "." : base)/\(folder)"
            }
            let entries = try specs.map { spec in
                var entry = try AuthorityCredentials.directoryEntry(
                    authority: try AuthorityID(validating: spec.id), name: spec.name, endpoint: spec.endpoint,
                    folder: resolved(spec.certificates))
                if let next = spec.nextCertificates {
                    let pair = try AuthorityCredentials.directoryEntry(
                        authority: entry.id, name: spec.name, endpoint: spec.endpoint, folder: resolved(next))
                    entry.nextAuthCertificate = pair.authCertificate
                    entry.nextSignCertificate = pair.signCertificate
                }
                return entry
            }
            let now = Date()
            let directory = Directory(
                region: region, version: version, issuedAt: now,
                expiresAt: now.addingTimeInterval(TimeInterval(days) * 86_400),
                authorities: entries, revokedCertificates: revoke,
                coordinator: try coordinator.map { code in
                    let id = try AuthorityID(validating: code)
                    guard entries.contains(where: { $0.id == id }) else {
                        throw RefGateError(
                            .invalidInput, "--coordinator \(code) is not a member: name one of the members file")
                    }
                    return id
                })
            let signed = try directory.signed(by: ca)
            // Check what we made the way a node will.
            _ = try await TrustedDirectory.verify(compact: signed.compact, anchor: ca.certificate, now: now)
            try PEMFile.writePublic(signed.compact + "\n", to: out)
            print("directory version \(version) with \(entries.count) authorities written to \(out)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify a signed directory and print its contents.")

        @Argument(help: "The signed directory file.") var file: String
        @Option(name: .customLong("ca-cert"), help: "The regional CA certificate (ca.pem).") var caCertificate: String

        func run() async throws {
            let anchor = try CertificateFile.loadCertificate(caCertificate, what: "CA certificate")
            let compact = try PEMFile.read(file, what: "directory").trimmingCharacters(in: .whitespacesAndNewlines)
            let trusted = try await TrustedDirectory.verify(compact: compact, anchor: anchor, now: Date())
            let d = trusted.directory
            print("region:    \(d.region)")
            print("version:   \(d.version)")
            print("issued:    \(MessageCoding.formatInstant(d.issuedAt))")
            print("expires:   \(MessageCoding.formatInstant(d.expiresAt))")
            print("signature: valid (regional CA \(try Thumbprint.of(anchor)))")
            for member in trusted.allMembers {
                print("\(member.id)  \(member.entry.name)  \(member.entry.endpoint)")
                print("    auth \(member.authThumbprint)  sign \(member.signThumbprint)")
            }
            if !d.revokedCertificates.isEmpty { print("revoked:   \(d.revokedCertificates.joined(separator: ", "))") }
        }
    }

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install a newer signed directory into a running node (it refuses a rollback).")

        @Option(help: "The node's configuration file.") var config: String
        @Argument(help: "The signed directory file.") var file: String

        struct Installed: Decodable { var installedVersion: Int }

        func run() async throws {
            let compact = try PEMFile.read(file, what: "directory")
            let admin = try APIClient(configurationPath: config)
            let result = try await admin.call("/directory", body: Data(compact.utf8), as: Installed.self)
            print("node now holds directory version \(result.installedVersion)")
        }
    }
}
