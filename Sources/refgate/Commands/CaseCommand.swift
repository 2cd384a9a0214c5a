import ArgumentParser
import RefGateCore
import RefGateNode

struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Inspect cases; record para 14 decisions and legal holds.",
        subcommands: [Show.self, Decide.self, Hold.self, Release.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a case with its messages, receipts and delivery state.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(name: .customLong("case"), help: "The case id.") var caseID: String
        @Flag(help: "Print JSON, including the exact JWS of every message and receipt.") var json = false

        func run() async throws {
            let detail = try await APIClient(configurationPath: config).get("/cases/\(caseID)", as: CaseDetail.self)
            print(json ? try Printing.json(detail) : Printing.text(detail))
        }
    }
}
