import ArgumentParser
import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "The node's store: move a stopped node between SQLite and PostgreSQL.",
        subcommands: [Copy.self])

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a stopped node's store into an empty one (SQLite to PostgreSQL, or back).",
            discussion: """
                --from and --to are node configurations that differ in `database` only. The target must be \
                empty (a new PostgreSQL database or a new file); everything is copied in one transaction, \
                then every table's rows are counted on both sides and the target's audit log is verified. \
                Stop the node first; afterwards start it with the --to configuration.
                """)

        @Option(help: "The configuration of the node as it is (its `database` is copied from).") var from: String
        @Option(help: "The same node's configuration naming the new `database`.") var to: String

        func run() async throws {
            let source = try NodeConfiguration.load(path: from)
            let target = try NodeConfiguration.load(path: to)
            guard source.authority == target.authority else {
                throw RefGateError(
                    .invalidInput,
                    "--from is \(source.authority) and --to is \(target.authority): both must configure the same node")
            }
            guard source.database != target.database else {
                throw RefGateError(.invalidInput, "--from and --to name the same database (\(source.database))")
            }
            if case .sqlite(let path) = source.database, !FileManager.default.fileExists(atPath: path) {
                throw RefGateError(.invalidInput, "there is no database at \(path): check `database` in \(from)")
            }
            if await ConfigurationCheck.bindError(host: source.localListener.host, port: source.localListener.port)
                != nil, source.localListener.port != 0
            {
                throw RefGateError(
                    .invalidTransition,
                    "the node seems to be running (\(source.localListener.address) is in use): stop it first")
            }
            var logger = Logger(label: "refgate.store")
            logger.logLevel = .warning
            let started = ContinuousClock.now
            let from = try Store(source.database, logger: logger)
            let into = try Store(target.database, logger: logger)
            defer {
                from.closeConnections()
                into.closeConnections()
            }
            let copied = try into.copy(
                from: from, described: "\(source.database)",
                by: AuditActor(name: ProcessInfo.processInfo.userName, role: "operator at the console"))
            let (held, kept) = (try from.rowCounts(), try into.rowCounts())
            // The target's audit log holds one entry more: the copy's own (`store.copied`).
            let added = ["audit_log": 1]
            let differing = Store.tables.filter {
                (held[$0] ?? 0) + (added[$0] ?? 0) != (kept[$0] ?? 0) || copied[$0] != held[$0]
            }
            for table in Store.tables {
                print("\(table): \(held[table] ?? 0) → \(kept[table] ?? 0)")
            }
            guard differing.isEmpty else {
                throw RefGateError(
                    .storageFailed, "the copy differs in \(differing.joined(separator: ", ")): do not use the target")
            }
            let (report, _) = try await AuditCheck.run(configuration: target, peerCheckpoints: false, logger: logger)
            guard report.verified else {
                throw RefGateError(
                    .storageFailed,
                    "the target's audit log does not verify: \(report.failure.map { "\($0)" } ?? "?"); do not use the target"
                )
            }
            let seconds = (ContinuousClock.now - started).seconds
            print(
                "copied \(copied.values.reduce(0, +)) rows from \(source.database) to \(target.database) in \(String(format: "%.1f", seconds)) s; every table's count matches; audit log verified (\(report.entries) entries with the copy's own, root \(report.root))"
            )
        }
    }
}
