import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Remove the personal data of closed cases whose retention period has passed (UK GDPR).",
        subcommands: [Run.self], defaultSubcommand: Run.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Purge now (the node also runs this daily); --dry-run lists what would go.")

        @Option(help: "This node's configuration file.") var config: String
        @Flag(help: "List what would be purged; change nothing.") var dryRun = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let report = try await APIClient(configurationPath: config).call(
                "/retention/run?dryRun=\(dryRun)", body: Data("{}".utf8), as: RetentionReport.self)
            if json {
                print(try Printing.json(report))
                return
            }
            print(
                "rule: cases with a concern kept \(report.rule.concernYears) years after closing, verified cases \(report.rule.appointedYears), others \(report.rule.notAppointedYears); cases under a legal hold until it is lifted"
            )
            if report.cases.isEmpty { print(dryRun ? "nothing would be purged" : "nothing to purge") }
            for item in report.cases {
                let what =
                    item.purged.map {
                        "purged: \($0.messages) message bodies, \($0.escalationNotes) notes, \($0.notifications) notifications"
                    } ?? "would be purged"
                print(
                    "\(item.caseID)  \(item.status.rawValue)  closed \(MessageCoding.formatInstant(item.closedAt))  due \(MessageCoding.formatInstant(item.dueAt)) (\(item.basis.rawValue))  \(what)"
                )
            }
        }
    }
}
