import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The tamper-evident audit log: sign a tree head now, or verify the log.",
        subcommands: [Head.self, Verify.self])

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a tree head over the whole log now (the node also does so hourly).")

        @Option(help: "This node's configuration file.") var config: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let head = try await APIClient(configurationPath: config).call(
                "/audit/heads", body: Data("{}".utf8), as: AuditHeadOutput.self)
            print(
                json
                    ? try Printing.json(head)
                    : "tree head: \(head.treeSize) entries, root \(head.rootHash), signed \(MessageCoding.formatInstant(head.madeAt))"
            )
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the audit tree from the database and check every link, hash and signed tree head.",
            discussion: """
                Reads the node's database directly (the node may be running). Names the first entry that \
                fails. With --peer-checkpoints, also asks every peer for the heads of this log it witnessed \
                and checks them against the log. Exits 1 if anything fails.
                """)

        @Option(help: "This node's configuration file.") var config: String
        @Flag(help: "Also check the tree heads peers witnessed (fetched over the peer API).")
        var peerCheckpoints = false
        @Flag(help: "Print JSON.") var json = false
        @Option(help: "Log level for diagnostics on stderr.") var logLevel: LogLevel = .warning

        func run() async throws {
            let logger = CommandLineLogging.bootstrap(level: logLevel)
            let configuration = try NodeConfiguration.load(path: config)
            let started = ContinuousClock.now
            let (report, answers) = try await AuditCheck.run(
                configuration: configuration, peerCheckpoints: peerCheckpoints, logger: logger)
            let elapsed = ContinuousClock.now - started
            if json {
                struct Output: Encodable {
                    var report: AuditReport
                    var peers: [WitnessAnswer]
                }
                print(try Printing.json(Output(report: report, peers: answers)))
            } else {
                print("entries: \(report.entries), root \(report.root)")
                print("signed tree heads checked: \(report.heads)")
                for answer in answers {
                    print(
                        "  witness \(answer.peer): \(answer.error.map { "not asked: \($0.escapedForDisplay())" } ?? "\(answer.heads) heads")"
                    )
                }
                if peerCheckpoints { print("witnessed heads checked: \(report.witnessed)") }
                if let failure = report.failure {
                    print("FAILED\(failure.entry.map { " at entry \($0)" } ?? ""): \(failure.reason)")
                } else {
                    print(
                        "verified in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
                }
            }
            if !report.verified { throw ExitCode(1) }
        }
    }
}
