import ArgumentParser
import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore

extension BenchCommand {
    struct Queries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queries",
            abstract: "Load cases into a node's store and time the case list with each filter, paged in SQL.",
            discussion: """
                Cases are a mix of sides, peers, statuses and deadlines (a quarter awaiting an answer, a
                twentieth of those escalated). Each filter's first page of 50 (and a deep page) is asked for
                --runs times; p50 and p95 are reported.
                """)

        @Option(help: "Cases to load.") var cases: Int = 100_000
        @Option(help: "Times each query runs.") var runs: Int = 20
        @Option(
            help:
                "Run on PostgreSQL instead of SQLite: postgres://user@host:port/database, an empty database the user owns (no password: trust or peer authentication)."
        )
        var postgres: String?

        func run() async throws {
            let (region, logger) = try BenchCommand.region()
            var configuration = try NodeConfiguration.load(path: region.configA)
            if let postgres {
                var settings = PostgresSettings(host: "", user: "", database: "")
                (settings.host, settings.user, settings.database, settings.port) = (nil, nil, nil, nil)
                settings.url = postgres
                settings.tls = .init(mode: "disable")
                configuration.database = .postgres(settings)
            }
            print("store: \(configuration.database)")
            let now = Date()
            let store = try Store(configuration.database)
            let loadStart = ContinuousClock.now
            var loaded = 0
            while loaded < cases {
                let count = min(10_000, cases - loaded)
                let first = loaded
                try store.writeSync { tx in
                    for index in first..<(first + count) {
                        let awaiting = index % 4 == 0
                        var record = CaseRecord(
                            id: String(format: "00000000-0000-4000-8000-%012d", index),
                            side: index % 3 == 0 ? .responder : .requester, peer: region.b,
                            status: awaiting ? .awaitingResponse : index % 7 == 0 ? .notVerified : .verified,
                            candidateName: "Candidate \(index)", candidateRole: .qualifiedSocialWorker,
                            candidateRegistration: "SW\(index / 2)",
                            respondBy: now.addingTimeInterval(Double(index % 1_000_000) - 300_000),
                            requestMessageID: "request-\(index)", createdAt: now.addingTimeInterval(-Double(index)),
                            updatedAt: now)
                        if awaiting && index % 20 == 0 {
                            record.escalationLevel = 1
                            try tx.insert(record)
                            try tx.insert(
                                EscalationRecord(
                                    id: "e-\(index)", caseID: record.id, level: 1, reason: .responseOverdue,
                                    role: .serviceManager, raisedBy: Person(name: "S", role: "Service Manager"),
                                    note: nil, raisedAt: now, dueAt: now.addingTimeInterval(Double(index % 200_000)),
                                    noticeMessageID: "n-\(index)"))
                        } else {
                            try tx.insert(record)
                        }
                    }
                }
                loaded += count
            }
            let loadTime = (ContinuousClock.now - loadStart).seconds
            print(String(format: "loaded %d cases in %.1f s", cases, loadTime))
            let node = try await Node.make(configuration: configuration, logger: logger)
            let queries = node.engine.queries
            let filters: [(String, CaseFilter, Int)] = [
                ("every case, first page", CaseFilter(), 0),
                ("every case, a page 10,000 in", CaseFilter(), min(10_000, max(0, cases - 50))),
                ("red", CaseFilter(rag: .red), 0),
                ("amber", CaseFilter(rag: .amber), 0),
                ("green", CaseFilter(rag: .green), 0),
                ("overdue", CaseFilter(overdue: true), 0),
                ("status not-verified", CaseFilter(status: .notVerified), 0),
                ("received, awaiting", CaseFilter(side: .responder, status: .awaitingResponse), 0),
                ("peer", CaseFilter(peer: region.b), 0),
                ("candidate by registration", CaseFilter(candidate: "SW12345"), 0),
                ("candidate by name", CaseFilter(candidate: "Candidate 99999"), 0),
            ]
            print("query (first page of 50)          p50 ms   p95 ms   matching")
            for (name, filter, offset) in filters {
                var times: [Double] = []
                var total = 0
                for _ in 0..<runs {
                    let start = ContinuousClock.now
                    total = try await queries.cases(filter, limit: 50, offset: offset).total
                    times.append((ContinuousClock.now - start).seconds * 1000)
                }
                times.sort()
                let p50 = times[times.count / 2]
                let p95 = times[min(times.count - 1, Int((Double(times.count) * 0.95).rounded(.up)) - 1)]
                print(
                    name.padding(toLength: 34, withPad: " ", startingAt: 0)
                        + String(format: "%7.1f  %7.1f   %d", p50, p95, total))
            }
            try? FileManager.default.removeItem(atPath: region.root)
        }
    }
}
