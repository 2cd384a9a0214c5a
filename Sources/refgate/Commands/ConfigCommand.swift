import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check a node's configuration before a start, or bring it to the current form.",
        subcommands: [Check.self, Migrate.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check everything a start would, without starting: one line per problem, with its fix.",
            discussion: """
                Checks the settings, every file and its mode, that the keys match their certificates, that the \
                directory verifies against the regional CA and lists this node's certificates, that the listeners' \
                ports are free, and that the SMTP server and webhooks answer a TCP connection. Exits 1 on a problem.
                """)

        @Option(help: "The node's configuration file.") var config: String
        @Option(help: "Seconds to wait for each endpoint.") var timeout: Int = 5

        func run() async throws {
            guard (1...60).contains(timeout) else {
                throw ValidationError("--timeout is 1 to 60 seconds")
            }
            let findings = await ConfigurationCheck(path: config, now: Date(), timeout: .seconds(Int64(timeout))).run()
            for finding in findings {
                print("\(finding.severity.rawValue): \(finding.subject): \(finding.detail)")
            }
            let problems = findings.filter { $0.severity == .problem }.count
            if problems == 0 {
                print("configuration ok: \(config)")
            } else {
                print("\(problems) problem\(problems == 1 ? "" : "s") in \(config)")
                throw ExitCode(1)
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite a configuration file in the current form (renamed settings under their new names).",
            discussion:
                "The file is replaced atomically, keeping its mode; the old one is kept beside it as FILE.previous.")

        @Option(help: "The node's configuration file.") var config: String
        @Flag(help: "Print the result instead of writing it.") var dryRun = false

        func run() async throws {
            let migration = try NodeConfiguration.migrate(path: config)
            if dryRun {
                print(String(decoding: migration.data, as: UTF8.self))
                for change in migration.changes { print("would change: \(change)") }
                return
            }
            guard !migration.changes.isEmpty else {
                print("\(config) is already in the current form")
                return
            }
            try NodeConfiguration.replace(path: config, with: migration.data)
            for change in migration.changes { print("changed: \(change)") }
            print("wrote \(config); the previous file is \(config).previous")
        }
    }
}
