import ArgumentParser
import RefGateCore
import RefGateNode
import RefGateStore

struct RespondCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond",
        abstract: "Answer a verification request your authority owes.",
        discussion: "Para 5: a team-manager reference must be answered by a service manager or more senior.")

    @Option(help: "This node's configuration file.") var config: String
    @Option(name: .customLong("case"), help: "The case id.") var caseID: String
    @Option(help: "verified, not-verified, referee-ineligible or unable-to-verify.") var outcome: VerificationOutcome
    @Option(help: "Did the named referee write the reference? (true/false)") var authoredByReferee: Bool
    @Option(help: "The referee's actual role from your records, in words.") var refereeActualRole: String
    @Option(
        help:
            "The referee's actual position (para 5): colleague, team-manager, service-manager, head-of-service or other. A signed-in user must give it."
    )
    var refereePosition: RefereePosition?
    @Option(help: "Did a suitably senior manager complete or approve the reference? (true/false)")
    var approvedBySeniorManager: Bool?
    @Option(help: "Do the placement dates match your records? (true/false)") var placementDatesConfirmed: Bool
    @Option(help: "Concerns to pass on, if any.") var concerns: String?
    @Option(help: "Your name (with the node's token; a REFGATE_TOKEN user is named by their account).")
    var responderName: String?
    @Option(
        help:
            "Your role, with the node's token: team-manager, service-manager, head-of-service, assistant-director, director."
    )
    var responderRole: ManagerRole?

    func validate() throws {
        guard (responderName == nil) == (responderRole == nil) else {
            throw ValidationError("give both --responder-name and --responder-role, or neither")
        }
    }

    func run() async throws {
        let draft = ResponseDraft(
            outcome: outcome,
            findings: .init(
                authoredByReferee: authoredByReferee, refereeActualRole: refereeActualRole,
                placementDatesConfirmed: placementDatesConfirmed, concerns: concerns, refereePosition: refereePosition,
                approvedBySeniorManager: approvedBySeniorManager),
            responder: responderName.flatMap { name in responderRole.map { .init(name: name, role: $0) } })
        let record = try await APIClient(configurationPath: config).post(
            "/cases/\(caseID)/response", draft, as: CaseView.self)
        print("case \(record.id) answered: \(record.status.rawValue)")
        if record.status == .refereeIneligible, outcome == .verified {
            print("the referee's position does not meet para 5, so the answer is referee-ineligible")
        }
    }
}

extension RefereePosition: ExpressibleByArgument {}
