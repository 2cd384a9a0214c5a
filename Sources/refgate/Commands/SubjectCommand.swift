import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode
import RefGateTrust

struct SubjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject",
        abstract: "Subject access (UK GDPR Art. 15): every record this node holds about one candidate.",
        subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Gather a candidate's records into one JSON document.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The candidate's Social Work England registration number (SW…).") var registration: String
        @Option(help: "Write to this file (default: standard output).") var out: String?

        func run() async throws {
            let export = try await APIClient(configurationPath: config).get(
                "/subjects/\(registration)", as: SubjectExport.self)
            let text = try Printing.json(export)
            if let out {
                try PEMFile.writePrivate(Data((text + "\n").utf8), to: out)
                print("wrote \(out): \(export.cases.count) cases")
            } else {
                print(text)
            }
        }
    }
}
