import ArgumentParser
import Foundation
import RefGateCore
import RefGateTrust

struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki", abstract: "Create the regional CA and issue authority certificates.",
        subcommands: [
            InitRegion.self, Request.self, SignRequest.self, Issue.self, DirectoryCommand.Revoke.self, DevRegion.self,
        ])

    struct InitRegion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init-region", abstract: "Create the regional CA: ca.pem and ca.key (mode 0600).")

        @Option(help: "The region's name, e.g. \"North West\".") var region: String
        @Option(help: "Folder to write ca.pem and ca.key into.") var out: String
        @Option(help: "Validity in days.") var days: Int = 3650
        @Flag(help: "Overwrite an existing CA in the folder.") var force = false

        func run() async throws {
            if !force, FileManager.default.fileExists(atPath: "\(out)/\(RegionalCA.keyFile)") {
                throw RefGateError(
                    .invalidInput, "\(out)/\(RegionalCA.keyFile) exists; pass --force to replace the regional CA")
            }
            let ca = try RegionalCA.create(region: region, now: Date(), validFor: TimeInterval(days) * 86_400)
            try ca.save(to: out)
            print("regional CA written: \(out)/\(RegionalCA.certificateFile), \(out)/\(RegionalCA.keyFile) (0600)")
            print("thumbprint (directory kid): \(try Thumbprint.of(ca.certificate))")
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an authority's auth (TLS) and sign (message) certificates with fresh P-256 keys.")

        @Option(name: .customLong("ca"), help: "Folder holding ca.pem and ca.key.") var caFolder: String
        @Option(help: "The authority's ONS GSS code, e.g. E08000003.") var authority: String
        @Option(help: "The authority's name.") var name: String
        @Option(help: "Host name or IPv4 address of its peer endpoint (auth certificate SAN).") var host: String
        @Option(help: "Folder to write auth.pem, auth.key, sign.pem, sign.key into.") var out: String
        @Option(help: "Validity in days (at most 366, the Mozilla intermediate profile's limit).") var days: Int = 366

        func run() async throws {
            let validity = try PKICommand.leafValidity(days: days)
            let id = try AuthorityID(validating: authority)
            let ca = try RegionalCA.load(from: caFolder)
            try AuthorityCredentials.issue(
                by: ca, authority: id, name: name, host: host, into: out, now: Date(),
                validFor: validity)
            print("issued for \(id): \(out)/auth.pem, \(out)/sign.pem; keys auth.key, sign.key (0600)")
        }
    }

    /// `--days` for an authority's certificate, checked against the leaf limit
    /// (`RegionalCA.leafValidity`, the Mozilla intermediate profile's 366 days).
    static func leafValidity(days: Int) throws -> TimeInterval {
        let validity = TimeInterval(days) * 86_400
        let most = Int(RegionalCA.leafValidity / 86_400)
        guard days >= 1, validity <= RegionalCA.leafValidity else {
            throw RefGateError(
                .invalidInput,
                "--days must be 1 to \(most): leaf certificates live at most \(most) days (rotate yearly)")
        }
        return validity
    }
}
