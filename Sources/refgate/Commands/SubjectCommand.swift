import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

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
                do {
                    try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
                } catch {
                    throw RefGateError(.invalidInput, "cannot write \(out): \(error.localizedDescription)")
                }
                print("wrote \(out): \(export.cases.count) cases")
            } else {
                print(text)
            }
        }
    }
}
