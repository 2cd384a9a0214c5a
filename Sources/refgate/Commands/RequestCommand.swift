import ArgumentParser
import Foundation
import HTTPTypes
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTransport

struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Send verification requests and list cases.",
        subcommands: [Send.self, List.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask another authority to verify one reference of a candidate.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "GSS code of the authority that gave the reference.") var to: String
        @Option(help: "Candidate's full name.") var candidateName: String
        @Option(help: "Registration number: SW… for Social Work England, digits for the others.")
        var registration: String
        @Option(
            help:
                "The regulator: social-work-england (default), social-care-wales, scottish-social-services-council or northern-ireland-social-care-council."
        )
        var regulator: ProfessionalRegistration.Regulator = .socialWorkEngland
        @Option(help: "qualified-social-worker or team-manager.") var role: CandidateRole
        @Option(help: "Agency name.") var agency: String
        @Option(help: "The agency's Companies House number (8 characters), its key across the region.")
        var agencyNumber: String?
        @Option(help: "The candidate's e-mail address, for the para 8 notices (kept at this node).")
        var candidateEmail: String?
        @Option(help: "Referee's name as on the reference.") var refereeName: String
        @Option(help: "Referee's role as stated on the reference.") var refereeRole: String
        @Option(help: "Team the candidate worked in.") var team: String
        @Option(help: "Placement start (YYYY-MM-DD).") var placementStart: String
        @Option(help: "Placement end (YYYY-MM-DD).") var placementEnd: String
        @Option(help: "Date the reference was given (YYYY-MM-DD).") var dateGiven: String
        @Option(help: "Your name (with the node's token; a REFGATE_TOKEN user is named by their account).")
        var requesterName: String?
        @Option(help: "Your job title (with the node's token).") var requesterRole: String?
        @Option(help: "Your e-mail address (with the node's token).") var requesterEmail: String?

        func validate() throws {
            let given = [requesterName, requesterRole, requesterEmail].compactMap { $0 }.count
            guard given == 0 || given == 3 else {
                throw ValidationError("give all of --requester-name, --requester-role and --requester-email, or none")
            }
        }
        @Option(
            help: """
                A key of your own, such as a UUID, that makes sending again safe: the same request with the same \
                key opens one case however often it is sent. Without it a new key is made, and shown if the \
                node's answer was lost.
                """)
        var idempotencyKey: String?

        func run() async throws {
            let draft = RequestDraft(
                to: try AuthorityID(validating: to),
                candidate: .init(
                    name: candidateName, registration: .init(body: regulator.rawValue, number: registration)),
                role: role,
                agency: .init(
                    name: agency, companiesHouseNumber: try agencyNumber.map(CompaniesHouseNumber.init(validating:))),
                reference: .init(
                    refereeName: refereeName, refereeStatedRole: refereeRole, team: team,
                    placementStart: placementStart,
                    placementEnd: placementEnd, dateGiven: dateGiven),
                requester: requesterName.map {
                    .init(name: $0, role: requesterRole ?? "", email: requesterEmail ?? "")
                }, candidateEmail: candidateEmail)
            let key = idempotencyKey ?? UUID().uuidString.lowercased()
            let record: CaseView
            do {
                record = try await APIClient(configurationPath: config).post(
                    "/requests", draft, as: CaseView.self,
                    headerFields: [HTTPField.Name("Idempotency-Key")!: key])
            } catch let error as TransportError
                where ![.unresolvable, .tlsPeerUntrusted, .localCredentials].contains(error.code)
            {
                // Nothing was sent when the node could not be found or trusted; otherwise it
                // may have opened the case before the answer was lost.
                throw OutcomeUnknown(
                    what: "the request", cause: error.description,
                    retry: "run the same command again with --idempotency-key \(key)")
            }
            print(
                "case \(record.id) sent to \(record.peer); respond by \(MessageCoding.formatInstant(record.respondBy))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases in both directions, newest first.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "Only cases in this status.") var status: CaseStatus?
        @Option(help: "requester (we asked) or responder (we owe).") var side: CaseSide?
        @Option(help: "Only cases awaiting their answer with this RAG rating (green, amber, red).") var rag: RAGStatus?
        @Option(help: "Only cases with this peer (GSS code).") var peer: String?
        @Flag(help: "Only cases past their deadline.") var overdue = false
        @Option(help: "Only this candidate (part of the name, or the registration number).") var candidate: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var query: [URLQueryItem] = []
            if let status { query.append(.init(name: "status", value: status.rawValue)) }
            if let side { query.append(.init(name: "direction", value: side.direction)) }
            if let rag { query.append(.init(name: "rag", value: rag.rawValue)) }
            if let peer { query.append(.init(name: "peer", value: peer)) }
            if overdue { query.append(.init(name: "overdue", value: "true")) }
            if let candidate { query.append(.init(name: "candidate", value: candidate)) }
            var cases: [CaseSummary] = []
            var offset: Int? = 0
            while let next = offset {
                var components = URLComponents()
                components.queryItems =
                    query + [.init(name: "limit", value: "500"), .init(name: "offset", value: "\(next)")]
                let page = try await APIClient(configurationPath: config).get(
                    "/cases?" + (components.percentEncodedQuery ?? ""), as: Page<CaseSummary>.self)
                cases += page.items
                offset = page.nextOffset
            }
            if json {
                print(try Printing.json(cases))
                return
            }
            if cases.isEmpty { print("no cases") }
            for record in cases { print(Printing.line(record)) }
        }
    }
}

extension CandidateRole: ExpressibleByArgument {}
extension CaseStatus: ExpressibleByArgument {}
extension CaseSide: ExpressibleByArgument {}
extension VerificationOutcome: ExpressibleByArgument {}
extension ManagerRole: ExpressibleByArgument {}

extension ProfessionalRegistration.Regulator: ExpressibleByArgument {}
