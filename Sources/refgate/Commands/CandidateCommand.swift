import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

struct CandidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candidate",
        abstract: "Whether a candidate may be appointed: every reference verified and the para 9 checklist complete.",
        subcommands: [Status.self, Checklist.self, VerifiedOutside.self, Appoint.self, Appointments.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show cleared or blocked, with the reasons.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The candidate's Social Work England registration number (SW…).") var registration: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let status = try await APIClient(configurationPath: config).get(
                "/candidates/\(registration)", as: AppointmentGate.Status.self)
            print(json ? try Printing.json(status) : CandidateCommand.text(status))
        }
    }

    struct Checklist: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the safer-recruitment checklist (para 9) for a candidate.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The candidate's registration number (SW…).") var registration: String
        @Option(help: "DBS check reviewed (true/false).") var dbsReviewed: Bool
        @Option(help: "References from previous permanent employers present (true/false).")
        var permanentEmployerReferences: Bool
        @Option(help: "Gaps in employment challenged (true/false).") var employmentGapsChallenged: Bool
        @Option(help: "Your name (with the node's token; a REFGATE_TOKEN user is named by their account).")
        var recordedBy: String?

        func run() async throws {
            let input = ChecklistInput(
                checklist: .init(
                    dbsReviewed: dbsReviewed, permanentEmployerReferences: permanentEmployerReferences,
                    employmentGapsChallenged: employmentGapsChallenged),
                recordedBy: recordedBy)
            let status = try await APIClient(configurationPath: config).post(
                "/candidates/\(registration)/checklist", input, as: AppointmentGate.Status.self)
            print(CandidateCommand.text(status))
        }
    }

    static func text(_ status: AppointmentGate.Status) -> String {
        var lines = [
            "\(status.registration)  \(status.name ?? "")\(status.role.map { " (\($0.rawValue))" } ?? ""): \(status.clearance == .cleared ? "CLEARED — the appointment may be agreed" : "BLOCKED")"
        ]
        for reason in status.reasons { lines.append("  - \(reason)") }
        for reference in status.references {
            var line = "  reference \(reference.caseId) with \(reference.peer): \(reference.status.rawValue)"
            if let offline = reference.offline {
                line +=
                    "; verified \(offline.method.title) with \(offline.verifiedWithName) (\(offline.verifiedWithOrganisation)) on \(offline.verifiedOn), outside the exchange"
            }
            lines.append(line)
        }
        for offline in status.offlineReferences {
            lines.append(
                "  reference verified \(offline.method.title) with \(offline.verifiedWithName) (\(offline.verifiedWithOrganisation)) on \(offline.verifiedOn), outside the exchange"
            )
        }
        return lines.joined(separator: "\n")
    }
}
