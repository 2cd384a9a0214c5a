import ArgumentParser
import Foundation
import RefGateCore
import RefGateTrust

extension DirectoryCommand {
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write what a static web server needs to publish a signed directory for nodes to fetch.",
            discussion: """
                Verifies the directory against the regional CA first (a broken one is never published), then writes \
                FOLDER/directory.jws (the compact JWS; serve it as application/jose over HTTPS) and \
                FOLDER/directory.json (its version and expiry, for people and monitoring). Nodes list the URL of \
                directory.jws in directorySources.
                """)

        @Argument(help: "The signed directory file.") var file: String
        @Option(name: .customLong("ca-cert"), help: "The regional CA certificate (ca.pem).") var caCertificate: String
        @Option(help: "The folder the web server serves (created if missing).") var out: String

        struct Summary: Encodable {
            var region: String
            var version: Int
            var issuedAt: Date
            var expiresAt: Date
            var members: Int
        }

        func run() async throws {
            let anchor = try CertificateFile.loadCertificate(caCertificate, what: "CA certificate")
            let compact = try PEMFile.read(file, what: "directory").trimmingCharacters(in: .whitespacesAndNewlines)
            let trusted = try await TrustedDirectory.verify(compact: compact, anchor: anchor, now: Date())
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let directory = trusted.directory
            try PEMFile.writePublic(compact + "\n", to: (out as NSString).appendingPathComponent("directory.jws"))
            let summary = Summary(
                region: directory.region, version: directory.version, issuedAt: directory.issuedAt,
                expiresAt: directory.expiresAt, members: trusted.allMembers.count)
            let json = String(decoding: try MessageCoding.encoder().encode(summary), as: UTF8.self)
            try PEMFile.writePublic(json + "\n", to: (out as NSString).appendingPathComponent("directory.json"))
            print(
                "published version \(directory.version) (expires \(MessageCoding.formatInstant(directory.expiresAt))) in \(out): directory.jws, directory.json"
            )
        }
    }
}
