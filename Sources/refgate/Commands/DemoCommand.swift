import ArgumentParser
import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import ServiceLifecycle

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Make a two-authority region, start both nodes, send and answer a request, print both sides.")

    @Option(help: "Folder for the region (default: a new temporary folder).") var dir: String?
    @Option(help: "Log level for the nodes.") var logLevel: LogLevel = .warning

    func run() async throws {
        let logger = CommandLineLogging.bootstrap(level: logLevel)
        let root = try dir ?? TemporaryFolder.make()
        let manchester = try AuthorityID(validating: "E08000003")
        let salford = try AuthorityID(validating: "E08000006")
        let paths = try RegionBuilder(
            region: "North West",
            members: [
                .init(
                    id: manchester, name: "Manchester City Council", peerPort: FreePort.next(),
                    adminPort: FreePort.next()),
                .init(id: salford, name: "Salford City Council", peerPort: FreePort.next(), adminPort: FreePort.next()),
            ]
        ).build(at: root, now: Date())
        print("region written to \(root) (regional CA, certificates, signed directory, node configs)")

        let commissioning = try await Node.make(configuration: try .load(path: paths[manchester]!), logger: logger)
        let providing = try await Node.make(configuration: try .load(path: paths[salford]!), logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: commissioning.services + providing.services, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                _ = try await (commissioning.peerPort.value(), providing.peerPort.value())
                print("both nodes listening (mutual TLS, client certificates required)\n")
                try await Self.scenario(commissioning: commissioning, providing: providing, salford: salford)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        print(
            "\nnodes stopped. Inspect with: refgate case show --config \(paths[manchester]!) --case <id> (while a node runs)"
        )
    }

    static func scenario(commissioning: Node, providing: Node, salford: AuthorityID) async throws {
        let draft = RequestDraft(
            to: salford,
            candidate: .init(name: "Alex Morgan", registration: .init(body: "social-work-england", number: "SW104522")),
            role: .teamManager, agency: .init(name: "Northern Social Care Recruitment Ltd"),
            reference: .init(
                refereeName: "Priya Shah", refereeStatedRole: "Service Manager, Children in Need",
                team: "Children in Need East", placementStart: "2025-03-03", placementEnd: "2026-08-28",
                dateGiven: "2026-09-15"),
            requester: .init(
                name: "Jordan Ellis", role: "Recruitment Officer", email: "jordan.ellis@manchester.example"))
        let opened = try await commissioning.engine.commands.sendRequest(draft)
        print("Manchester → Salford: verification request for case \(opened.id)")
        try await waitUntil("Salford to receive the request") {
            try await providing.store.read { try $0.case(opened.id) } != nil
        }
        print("Salford received it and returned a signed receipt")
        let answered = try await providing.engine.commands.respond(
            caseID: opened.id,
            ResponseDraft(
                outcome: .verified,
                findings: .init(
                    authoredByReferee: true, refereeActualRole: "Service Manager, Children in Need",
                    placementDatesConfirmed: true, concerns: nil),
                responder: .init(name: "Sam Okafor", role: .serviceManager)))
        print("Salford → Manchester: response '\(answered.status.rawValue)' from a service manager (para 5)")
        try await waitUntil("Manchester to receive the response and Salford the receipt") {
            let detail = try await providing.engine.queries.detail(caseID: opened.id)
            let received = try await commissioning.store.read { try $0.case(opened.id) }
            return received?.status == .verified && detail.messages.allSatisfy { $0.receipt != nil }
        }
        for (title, node) in [("Manchester (commissioning)", commissioning), ("Salford (providing)", providing)] {
            print("\n=== \(title) holds:")
            print(Printing.text(try await node.engine.queries.detail(caseID: opened.id)))
        }
        let a = try await commissioning.engine.queries.detail(caseID: opened.id)
        let b = try await providing.engine.queries.detail(caseID: opened.id)
        let agree =
            a.case.status == b.case.status
            && Set(a.messages.map(\.message.digest)) == Set(b.messages.map(\.message.digest))
        print("\nboth sides agree on status and on every message byte-for-byte: \(agree ? "yes" : "NO")")
        if !agree { throw RefGateError(.internalError, "the two nodes disagree about case \(opened.id)") }
    }

    static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RefGateError(.internalError, "timed out waiting for \(what)")
    }
}
