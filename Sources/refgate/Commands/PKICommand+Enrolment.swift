import ArgumentParser
import Foundation
import RefGateCore
import RefGateTrust

extension PKICommand {
    /// At the authority: its keys, made and kept here, and a certificate request for each.
    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "At an authority: make its auth and sign keys (0600) and a PKCS#10 request for each.",
            discussion:
                "Writes auth.key, sign.key, auth.csr and sign.csr into --out. Send only the two .csr files to the regional coordinator (refgate pki sign-request); the keys never leave this folder."
        )

        @Option(help: "The authority's ONS GSS code, e.g. E08000003.") var authority: String
        @Option(help: "The authority's name, as the directory will list it.") var name: String
        @Option(help: "Host name or IPv4 address of its peer endpoint (the auth certificate's SAN).") var host: String
        @Option(help: "Folder to write the keys and requests into.") var out: String
        @Flag(help: "Replace keys already in the folder.") var force = false

        func run() async throws {
            let id = try AuthorityID(validating: authority)
            if !force, FileManager.default.fileExists(atPath: "\(out)/\(AuthorityCredentials.authKeyFile)") {
                throw RefGateError(
                    .invalidInput,
                    "\(out)/\(AuthorityCredentials.authKeyFile) exists; pass --force to make new keys (the old certificates stop matching)"
                )
            }
            try Enrolment.makeRequests(authority: id, name: name, host: host, into: out)
            print("keys: \(out)/auth.key, \(out)/sign.key (0600, keep them here)")
            print("requests for the coordinator: \(out)/auth.csr, \(out)/sign.csr")
        }
    }

    /// At the coordinator: check a request and issue the certificate it asks for.
    struct SignRequest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-request",
            abstract: "At the regional coordinator: check an authority's request and issue its certificate.",
            discussion:
                "Checks the request's signature (the requester holds the key), its P-256 key and its subject (CN = GSS code, OU = auth or sign, O = name; one SAN for auth), prints what it asks for, and writes the certificate."
        )

        @Option(name: .customLong("ca"), help: "Folder holding ca.pem and ca.key.") var caFolder: String
        @Option(help: "The request (auth.csr or sign.csr).") var csr: String
        @Option(help: "File to write the certificate to (PEM).") var out: String
        @Option(help: "Validity in days (at most 366).") var days: Int = 366

        func run() async throws {
            let validity = try PKICommand.leafValidity(days: days)
            let request = try Enrolment.check(pem: try PEMFile.read(csr, what: "certificate request"))
            let ca = try RegionalCA.load(from: caFolder)
            let certificate = try ca.issue(from: request, now: Date(), validFor: validity)
            try PEMFile.writePublic(try CertificateFile.pem(certificate), to: out)
            print(
                "issued \(request.kind.rawValue) certificate for \(request.authority) (\(request.name))"
                    + (request.host.map { ", host \($0)" } ?? "") + ": \(out), valid \(days) days")
        }
    }
}
