import ArgumentParser
import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A living North West region: 24 authorities as nodes, a scenario of requests and escalations.",
        discussion: """
            Builds the regional PKI and signed directory for the 24 North West authorities, starts them \
            as nodes on loopback in this one process (one ServiceGroup; the nodes share the event loops, \
            which keeps the region small), and drives a scenario on a manual clock: requests between many \
            pairs, most answered, some late, some never, reaching level 1, level 2 and the end of the \
            ladder. Then it prints what each authority sent, received and escalated and keeps the region \
            running until Ctrl-C, serving the first authority's dashboard over TLS and printing its URL \
            and a one-time sign-in code for each role. --once exits after the summary.
            """)

    @Option(help: "Folder for the region (default: a new temporary folder).") var dir: String?
    @Flag(help: "Print the summary and exit.") var once = false
    @Option(help: "Log level for the nodes.") var logLevel: LogLevel = .error

    func run() async throws {
        let logger = CommandLineLogging.bootstrap(level: logLevel)
        let root = try dir ?? TemporaryFolder.make()
        let clock = ManualClock(Date())
        let members = try NorthWest.members()
        // Manchester holds the regional picture (any member may; a region may run a node for it alone).
        let paths = try RegionBuilder(region: "North West", members: members, coordinator: members.first?.id).build(
            at: root, now: clock.now(), localTLS: true)
        print("region written to \(root): regional CA, 24 authorities' certificates, signed directory, node configs")
        var nodes: [AuthorityID: Node] = [:]
        for member in members {
            nodes[member.id] = try await Node.make(
                configuration: try .load(path: paths[member.id]!), clock: clock, logger: logger)
        }
        let order = members.map(\.id)
        // One group per node, each stopping on SIGTERM or SIGINT by itself: the 24 nodes shut
        // down side by side, not one after another (each listener gives idle TLS clients a
        // second to close).
        let groups = order.map { id in
            ServiceGroup(
                configuration: .init(
                    services: nodes[id]!.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        }
        @Sendable func shutdown() async { for group in groups { await group.triggerGracefulShutdown() } }
        let once = self.once
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for group in groups { tasks.addTask { try await group.run() } }
            do {
                for id in order { _ = try await nodes[id]!.peerPort.value() }
                print("24 nodes listening on loopback (mutual TLS, client certificates required)\n")
                let scenario = RegionScenario(nodes: nodes, order: order, clock: clock)
                let outcome = try await scenario.run { print("  \($0)") }
                try await Self.summary(outcome, nodes: nodes, order: order, members: members)
                let shown = order[0]
                let people = try await Self.people(at: nodes[shown]!)
                if once {
                    await shutdown()
                } else {
                    let node = nodes[shown]!.configuration
                    let url = "https://\(node.localListener.address)"
                    print(
                        """

                        The region keeps running. \(node.name)'s dashboard:
                          \(url)/signin
                        Sign in with an e-mail address and its one-time code (each works once):
                        \(people.map { "  \($0.role.title.padding(toLength: 16, withPad: " ", startingAt: 0)) \($0.email)  code \($0.code)" }.joined(separator: "\n"))
                        The certificate is the region's own (demo CA in \(root)/ca): your browser will warn.
                        More codes: refgate user sign-in-code --config \(paths[shown]!) --user EMAIL
                        From the terminal:
                          refgate outstanding --config \(paths[shown]!)
                          refgate escalations list --config \(paths[shown]!)
                          metrics: \(url)/metrics
                        Ctrl-C stops every node.
                        """)
                    // Shown at once even when output goes to a file or pipe: the region runs on.
                    fflush(nil)
                }
            } catch {
                await shutdown()
                throw error
            }
            try await tasks.waitForAll()
        }
    }

    static func summary(
        _ outcome: RegionScenario.Outcome, nodes: [AuthorityID: Node], order: [AuthorityID],
        members: [RegionBuilder.Member]
    ) async throws {
        print("\n\("authority".padding(toLength: 42, withPad: " ", startingAt: 0)) sent  received  escalated")
        var levels: [Int: Int] = [:]
        for member in members {
            let node = nodes[member.id]!
            let cases = try await node.store.read { try $0.cases(limit: 10_000) }
            let escalations = try await node.engine.queries.escalations()
            let raised = escalations.filter { escalation in
                cases.contains { $0.id == escalation.caseID && $0.side == .requester }
            }
            for case let level in cases.filter({ $0.side == .requester }).map(\.escalationLevel) where level > 0 {
                levels[level, default: 0] += 1
            }
            print(
                "\("\(member.id) \(member.name)".padding(toLength: 42, withPad: " ", startingAt: 0)) \(String(format: "%4d", cases.filter { $0.side == .requester }.count))  \(String(format: "%8d", cases.filter { $0.side == .responder }.count))  \(String(format: "%9d", raised.count))"
            )
        }
        print(
            "\nregion: \(outcome.requests.count) requests; \(outcome.answeredAtOnce) answered at once, \(outcome.answeredLate) late; cases still escalated: level 1 \(levels[1] ?? 0), level 2 \(levels[2] ?? 0), ladder spent \(levels[3] ?? 0)"
        )
        if let cleared = outcome.cleared { print("candidate \(cleared.registration): \(cleared.clearance.rawValue)") }
        if let blocked = outcome.blocked {
            print("candidate \(blocked.registration): \(blocked.clearance.rawValue) (\(blocked.reasons.first ?? ""))")
        }
        print("region's memory (all 24 nodes, one process): \(residentMegabytes()) MB resident")
    }

    /// One user per role at the dashboard's authority, each with a one-time sign-in code.
    static func people(at node: Node) async throws -> [(role: UserRole, email: String, code: String)] {
        let names: [(UserRole, String)] = [
            (.operator, "Olu Operator"), (.serviceManager, "Sian Service-Manager"), (.headOfService, "Hari Head"),
            (.recruiter, "Rita Recruiter"), (.responder, "Ray Responder"), (.admin, "Ada Admin"),
        ]
        var people: [(UserRole, String, String)] = []
        for (role, name) in names {
            let email = "\(role.rawValue)@\(node.configuration.authority.rawValue.lowercased()).example"
            _ = try await node.engine.accounts.add(name: name, email: email, role: role, by: nil)
            let code = try await node.engine.accounts.issueSignInCode(user: email, by: nil).token
            people.append((role, email, code))
        }
        return people
    }

    /// This process's resident set size, from /proc/self/status.
    static func residentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return -1 }
        return kilobytes / 1024
    }
}
