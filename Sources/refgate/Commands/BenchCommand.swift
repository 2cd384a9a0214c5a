import ArgumentParser
import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import ServiceLifecycle

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the store and the exchange (figures for operators and issue notes).",
        subcommands: [Commits.self, Exchange.self, Deadlines.self, Audit.self, Backup.self, Queries.self])

    struct Commits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Durable commits: one transaction per case (case + message + outbox row), as the engine writes.")

        @Option(help: "Number of transactions.") var count: Int = 1000
        @Option(help: "Database file (default: a temporary one).") var database: String?

        func run() async throws {
            let path = try database ?? (TemporaryFolder.make() + "/bench.sqlite")
            let store = try Store(path: path)
            let peer = try AuthorityID(validating: "E08000006")
            let me = try AuthorityID(validating: "E08000003")
            let start = ContinuousClock.now
            for index in 0..<count {
                let now = Date()
                let id = "case-\(index)-\(UUID().uuidString)"
                try store.writeSync { tx in
                    try tx.insert(
                        CaseRecord(
                            id: id, side: .requester, peer: peer, status: .awaitingResponse, candidateName: "Bench",
                            candidateRole: .qualifiedSocialWorker, respondBy: now.addingTimeInterval(172_800),
                            requestMessageID: "m-\(id)", createdAt: now, updatedAt: now))
                    try tx.insert(
                        MessageRecord(
                            id: "m-\(id)", caseID: id, direction: .outgoing, kind: .verificationRequest, from: me,
                            to: peer, sentAt: now, recordedAt: now, jws: String(repeating: "x", count: 1200),
                            digest: "d"))
                    try tx.enqueue(
                        messageID: "m-\(id)", peer: peer, caseID: id, notBefore: now,
                        expiresAt: now.addingTimeInterval(7 * 86_400))
                }
            }
            let seconds = (ContinuousClock.now - start).seconds
            print("synchronous mode: \(try store.synchronousMode()) (2 = FULL)")
            print(
                String(
                    format: "%d durable commits in %.3f s: %.0f commits/s, %.3f ms each", count, seconds,
                    Double(count) / seconds, seconds * 1000 / Double(count)))
        }
    }

    /// A two-authority region in a temporary folder for the benchmarks, and a quiet logger.
    static func region() throws -> (
        region: (root: String, a: AuthorityID, b: AuthorityID, configA: String, configB: String), logger: Logger
    ) {
        var logger = Logger(label: "bench")
        logger.logLevel =
            ProcessInfo.processInfo.environment["REFGATE_BENCH_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let root = try TemporaryFolder.make()
        let a = try AuthorityID(validating: "E08000003")
        let b = try AuthorityID(validating: "E08000006")
        let paths = try RegionBuilder(
            region: "Bench",
            members: [
                .init(id: a, name: "A", peerPort: FreePort.next(), localPort: FreePort.next()),
                .init(id: b, name: "B", peerPort: FreePort.next(), localPort: FreePort.next()),
            ]
        ).build(at: root, now: Date())
        return ((root, a, b, paths[a]!, paths[b]!), logger)
    }
}
