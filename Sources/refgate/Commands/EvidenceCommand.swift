import ArgumentParser
import Foundation
import RefGateCore
import RefGateEvidence
import RefGateNode
import RefGateTrust

struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "A case's evidence as one ZIP a third party can check without refgate.",
        subcommands: [Export.self, Verify.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a case's evidence bundle (messages, receipts, directories, audit proofs, VERIFY.md).")

        @Option(help: "This node's configuration file.") var config: String
        @Option(name: .customLong("case"), help: "The case id.") var caseID: String
        @Option(help: "The ZIP file to write.") var out: String

        func run() async throws {
            let bundle = try await APIClient(configurationPath: config).raw("/cases/\(caseID)/evidence")
            // Personal data: owner-only (0600) whatever the umask.
            try PEMFile.writePrivate(bundle, to: out)
            print(
                "wrote \(out) (\(bundle.count) bytes); check it with: refgate evidence verify \(out) --ca-cert ca.pem")
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an evidence bundle offline against the regional CA certificate. Exits 1 if anything fails."
        )

        @Argument(help: "The bundle (ZIP).") var bundle: String
        @Option(help: "The regional CA certificate (PEM), from the regional coordinator, not from the bundle.")
        var caCert: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            // A bundle is compressed, so it is never larger than what it may inflate to.
            let limit = EvidenceVerifier.Limits().totalBytes
            if let size = (try? FileManager.default.attributesOfItem(atPath: bundle))?[.size] as? NSNumber,
                size.intValue > limit
            {
                throw RefGateError(
                    .invalidInput,
                    "the bundle \(bundle) is \(size.intValue) bytes, more than any bundle holds (\(limit))")
            }
            guard let data = FileManager.default.contents(atPath: bundle) else {
                throw RefGateError(.invalidInput, "cannot read the bundle \(bundle)")
            }
            let ca = try CertificateFile.loadCertificate(caCert, what: "CA certificate")
            let report = try EvidenceVerifier(caCertificate: ca).verify(bundle: data)
            if json {
                print(try Printing.json(report))
            } else {
                print("case \(report.caseID ?? "?") from \(report.authority.map { "\($0)" } ?? "?")")
                for line in report.passed { print("  ok    \(line)") }
                for line in report.failures { print("  FAIL  \(line.escapedForDisplay())") }
                print(report.verified ? "VERIFIED" : "NOT VERIFIED: \(report.failures.count) failures")
            }
            if !report.verified { throw ExitCode(1) }
        }
    }
}
