import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

extension CaseCommand {
    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a head of service's para 14 decision on a case with a concern.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(name: .customLong("case"), help: "The case id.") var caseID: String
        @Option(help: "referred-to-regulator, legal-advice-sought, no-further-action or other.")
        var decision: Para14Decision
        @Option(help: "Why, in a sentence or two.") var reason: String
        @Option(help: "Who decided (with the node's token; a REFGATE_TOKEN user is named by their account).")
        var name: String?
        @Option(help: "Their role (with --name).") var role: String?

        func run() async throws {
            let view = try await APIClient(configurationPath: config).post(
                "/cases/\(caseID)/decisions",
                DecisionInput(
                    decision: decision, reason: reason, decidedBy: name.map { Person(name: $0, role: role ?? "") }),
                as: DecisionView.self)
            print("case \(caseID): \(view.decision.title) (decision \(view.id)), by \(view.decidedBy.name)")
        }
    }

    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a case under a legal hold: retention keeps its data until the hold is released.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(name: .customLong("case"), help: "The case id.") var caseID: String
        @Option(help: "Why the case must be kept.") var reason: String
        @Option(help: "Who sets it (with the node's token).") var name: String?
        @Option(help: "Their role (with --name).") var role: String?

        func run() async throws {
            _ = try await APIClient(configurationPath: config).post(
                "/cases/\(caseID)/legal-hold",
                LegalHoldInput(reason: reason, setBy: name.map { Person(name: $0, role: role ?? "") }),
                as: LegalHoldView.self)
            print("case \(caseID) is under a legal hold: retention will not purge it until it is released")
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a case's legal hold.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(name: .customLong("case"), help: "The case id.") var caseID: String

        func run() async throws {
            _ = try await APIClient(configurationPath: config).call(
                "/cases/\(caseID)/legal-hold/release", body: Data(), as: CaseView.self)
            print("case \(caseID): legal hold lifted; retention applies its rule at the next run")
        }
    }
}

extension Para14Decision: ExpressibleByArgument {}
