import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode
import RefGateStore

struct EscalationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalations",
        abstract: "The escalation ladder: service manager to service manager, then head of service to head of service.",
        subcommands: [List.self, Raise.self, Ack.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Escalations this authority raised or received.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "Only those addressed to service-manager or head-of-service.") var role: EscalationRole?
        @Flag(help: "Only open ones.") var open = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var query: [String] = []
            if let role { query.append("role=\(role.rawValue)") }
            if open { query.append("open=true") }
            let escalations = try await APIClient(configurationPath: config).get(
                "/escalations" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), as: [EscalationView].self)
            if json {
                print(try Printing.json(escalations))
                return
            }
            if escalations.isEmpty { print("no escalations") }
            for e in escalations {
                let state =
                    e.closedAt != nil
                    ? "closed" : e.acknowledgedBy.map { "acknowledged by \($0.name)" } ?? "not acknowledged"
                print(
                    "\(e.id)  case \(e.caseID)  L\(e.level) \(e.reason.rawValue) → \(e.role.rawValue)s  due \(MessageCoding.formatInstant(e.dueAt))  \(state)"
                )
            }
        }
    }

    struct Raise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Escalate a case you asked about: unsatisfactory-response (level 1) or serious-concern (level 2)."
        )

        @Option(help: "This node's configuration file.") var config: String
        @Option(name: .customLong("case"), help: "The case id.") var caseID: String
        @Option(help: "unsatisfactory-response or serious-concern.") var reason: EscalationReason
        @Option(help: "Your name (default: the user of REFGATE_TOKEN).") var name: String?
        @Option(help: "Your role, e.g. \"Service Manager\".") var role: String?
        @Option(help: "Why, in a sentence or two.") var note: String?

        func run() async throws {
            let escalation = try await APIClient(configurationPath: config).post(
                "/cases/\(caseID)/escalations",
                EscalationInput(reason: reason, raisedBy: name.map { Person(name: $0, role: role ?? "") }, note: note),
                as: EscalationView.self)
            print(
                "escalation \(escalation.id) raised: level \(escalation.level) to the other authority's \(escalation.role.rawValue)s, due \(MessageCoding.formatInstant(escalation.dueAt))"
            )
        }
    }

    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge an escalation addressed to your role (stops reminders; answering resolves it).")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The escalation id.") var escalation: String
        @Option(help: "Your name (default: the user of REFGATE_TOKEN).") var name: String?
        @Option(help: "Your role.") var role: String?

        func run() async throws {
            let record = try await APIClient(configurationPath: config).post(
                "/escalations/\(escalation)/acknowledgement",
                AcknowledgementInput(acknowledgedBy: name.map { Person(name: $0, role: role ?? "") }),
                as: EscalationView.self)
            print("escalation \(record.id) acknowledged by \(record.acknowledgedBy?.name ?? "you")")
        }
    }
}

extension EscalationRole: ExpressibleByArgument {}
extension EscalationReason: ExpressibleByArgument {}
