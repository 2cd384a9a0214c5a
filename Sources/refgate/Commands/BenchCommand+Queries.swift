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
                Cases are a mix of sides, peers, statuses and deadlines (one in --awaiting-one-in awaiting an \
                answer, a twentieth of those escalated), with their request and response messages. Each \
                filter's first page of 50 (and a deep page), the outstanding list, the candidates, a \
                candidate's standing and the performance report are asked for --runs times; p50 and p95 \
                are reported.
                """)

        @Option(help: "Cases to load.") var cases: Int = 100_000
        @Option(help: "Times each query runs.") var runs: Int = 20
        @Option(
            help:
                "One case in this many awaits its answer (the rest are answered); 4 makes a quarter of a million outstanding at a million cases."
        )
        var awaitingOneIn: Int = 40
        @Option(help: "Peers the cases are spread over (a region of 24 authorities has 23).") var peers: Int = 23
        @Option(
            help:
                "Run on PostgreSQL instead of SQLite: postgres://user@host:port/database, an empty database the user owns (no password: trust or peer authentication)."
        )
        var postgres: String?
        @Flag(help: "Keep the loaded store afterwards (its path is printed), to look at query plans.")
        var keepStore = false
        @Flag(help: "Only load the cases (with --keep-store), and time nothing.") var loadOnly = false
        @Flag(
            help:
                "With --postgres: the database already holds the cases of a run with --keep-store and the same --cases; load nothing, time the queries."
        )
        var reuse = false
        @Option(help: "Time only the queries whose name contains this text (\"performance\", \"cases:\").")
        var only: String?

        func run() async throws {
            let (region, logger) = try BenchCommand.region()
            var configuration = try NodeConfiguration.load(path: region.configA)
            if let postgres { configuration.database = .postgres(PostgresBenchmark.settings(url: postgres)) }
            print("store: \(configuration.database)")
            let now = Date()
            let store = try Store(configuration.database)
            guard awaitingOneIn >= 1, peers >= 1, cases >= 1 else {
                throw ValidationError("--cases, --awaiting-one-in and --peers must be at least 1")
            }
            // The benchmark region's other member first, then made-up peers of the same form.
            let peerIDs = [region.b] + (1..<peers).map { AuthorityID(rawValue: String(format: "E09%06d", $0))! }
            if reuse && postgres == nil {
                throw ValidationError("--reuse needs --postgres (a SQLite store is made anew each run)")
            }
            let loadStart = ContinuousClock.now
            var loaded = reuse ? cases : 0
            while loaded < cases {
                let batch = Self.batch(
                    from: loaded, count: min(10_000, cases - loaded), us: region.a, peers: peerIDs,
                    awaitingOneIn: awaitingOneIn, now: now)
                // Many rows to a statement, without audit entries: loading a million cases one
                // audited insert at a time would take most of an hour on PostgreSQL.
                try store.writeSync { tx in
                    try tx.insertForBenchmark(
                        cases: batch.cases, messages: batch.messages, escalations: batch.escalations)
                }
                loaded += batch.cases.count
            }
            // What the node's daily maintenance (and PostgreSQL's autovacuum) does after a bulk load.
            try store.refreshStatistics()
            let loadTime = (ContinuousClock.now - loadStart).seconds
            print(String(format: "loaded %d cases in %.1f s", cases, loadTime))
            if loadOnly { return }
            let node = try await Node.make(configuration: configuration, logger: logger)
            let queries = node.engine.queries
            // What the first report after migration v28 does once: work out the working time of every answer held.
            let fillStart = ContinuousClock.now
            try await queries.fillAnswerWorkingTimes()
            print(
                String(
                    format: "worked out the working time of every answer (once, as after an upgrade) in %.1f s",
                    (ContinuousClock.now - fillStart).seconds))
            // The upgrade's updates leave dead rows behind: what autovacuum does after them.
            try store.refreshStatistics()
            var lines: [(String, () async throws -> Int)] = []
            let filters: [(String, CaseFilter, Int)] = [
                ("every case, first page", CaseFilter(), 0),
                ("every case, a page 10,000 in", CaseFilter(), min(10_000, max(0, cases - 50))),
                ("red", CaseFilter(rag: .red), 0),
                ("amber", CaseFilter(rag: .amber), 0),
                ("green", CaseFilter(rag: .green), 0),
                ("overdue", CaseFilter(overdue: true), 0),
                ("status not-verified", CaseFilter(status: .notVerified), 0),
                ("received, awaiting", CaseFilter(side: .responder, status: .awaitingResponse), 0),
                ("one peer", CaseFilter(peer: region.b), 0),
                ("candidate by registration", CaseFilter(candidate: "SW\(cases / 4)"), 0),
                ("candidate by name", CaseFilter(candidate: Self.name(cases * 9 / 10)), 0),
            ]
            for (name, filter, offset) in filters {
                lines.append(("cases: " + name, { try await queries.cases(filter, limit: 50, offset: offset).total }))
            }
            lines += [
                ("outstanding, first page", { try await queries.outstanding(limit: 50).total }),
                ("outstanding, red", { try await queries.outstanding(CaseFilter(rag: .red), limit: 50).total }),
                ("outstanding, green", { try await queries.outstanding(CaseFilter(rag: .green), limit: 50).total }),
                ("outstanding, counts by peer and RAG", { try await queries.outstandingCounts().count }),
                ("candidates, first page", { try await queries.candidates(limit: 50).items.count }),
                (
                    "a candidate's standing",
                    { try await queries.candidateStatus(registration: "SW\(cases / 4)").references.count }
                ),
                (
                    "performance, last 30 days",
                    { try await queries.performance(from: now.addingTimeInterval(-30 * 86_400), to: now).count }
                ),
                ("performance, all time", { try await queries.performance().count }),
            ]
            print("query (first page of 50)                     p50 ms   p95 ms   matching")
            for (name, query) in lines where only.map({ name.contains($0) }) ?? true {
                var times: [Double] = []
                var total = 0
                for _ in 0..<runs {
                    let start = ContinuousClock.now
                    total = try await query()
                    times.append((ContinuousClock.now - start).seconds * 1000)
                }
                times.sort()
                let p50 = times[times.count / 2]
                let p95 = times[min(times.count - 1, Int((Double(times.count) * 0.95).rounded(.up)) - 1)]
                print(
                    name.padding(toLength: 45, withPad: " ", startingAt: 0)
                        + String(format: "%7.1f  %7.1f   %d", p50, p95, total))
            }
            if !keepStore { try? FileManager.default.removeItem(atPath: region.root) }
        }

        /// Cases `first..<first+count`: a mix of peers, sides, statuses and deadlines (one in
        /// `awaitingOneIn` awaiting an answer, a twentieth of those escalated, a fifth of those
        /// with the ladder spent), one a minute back from now, each with its request message and, when
        /// answered, its response; two cases per candidate.
        static func batch(
            from first: Int, count: Int, us: AuthorityID, peers: [AuthorityID], awaitingOneIn: Int, now: Date
        ) -> (
            cases: [CaseRecord], messages: [MessageRecord], escalations: [EscalationRecord]
        ) {
            var cases: [CaseRecord] = []
            var messages: [MessageRecord] = []
            var escalations: [EscalationRecord] = []
            for index in first..<(first + count) {
                let awaiting = index % awaitingOneIn == 0
                let peer = peers[index % peers.count]
                let side: CaseSide = index % 3 == 0 ? .responder : .requester
                let created = now.addingTimeInterval(-Double(index) * 60)
                var record = CaseRecord(
                    id: String(format: "00000000-0000-4000-8000-%012d", index), side: side, peer: peer,
                    status: awaiting ? .awaitingResponse : index % 7 == 0 ? .notVerified : .verified,
                    candidateName: Self.name(index), candidateRole: .qualifiedSocialWorker,
                    candidateRegistration: "SW\(index / 2)",
                    respondBy: now.addingTimeInterval(Double(index % 1_000_000) - 300_000),
                    requestMessageID: "request-\(index)", createdAt: created, updatedAt: now)
                func message(_ id: String, _ kind: MessageKind, at time: Date) -> MessageRecord {
                    let outgoing = (side == .requester) == (kind == .verificationRequest)
                    return MessageRecord(
                        id: id, caseID: record.id, direction: outgoing ? .outgoing : .incoming, kind: kind,
                        from: outgoing ? us : peer, to: outgoing ? peer : us, sentAt: time,
                        recordedAt: time, jws: "bench", digest: "bench")
                }
                messages.append(message(record.requestMessageID, .verificationRequest, at: created))
                if !awaiting {
                    record.responseMessageID = "response-\(index)"
                    messages.append(
                        message(
                            "response-\(index)", .verificationResponse,
                            at: created.addingTimeInterval(Double(index % 500) * 3_600)))
                }
                if awaiting && (index / awaitingOneIn) % 20 == 0 {
                    record.escalationLevel = (index / awaitingOneIn) % 100 == 0 ? 3 : 1
                    escalations.append(
                        EscalationRecord(
                            id: "e-\(index)", caseID: record.id, level: 1, reason: .responseOverdue,
                            role: .serviceManager, raisedBy: Person(name: "S", role: "Service Manager"),
                            note: nil, raisedAt: now, dueAt: now.addingTimeInterval(Double(index % 200_000)),
                            noticeMessageID: "n-\(index)"))
                }
                cases.append(record)
            }
            return (cases, messages, escalations)
        }

        static let firstNames = [
            "Aaliyah", "Adam", "Aisha", "Alex", "Amara", "Amir", "Ann", "Ben", "Bethany", "Carl", "Chloe", "Daniel",
            "Deborah", "Dylan", "Eilidh", "Emeka", "Emma", "Fatima", "Gareth", "Grace", "Hamza", "Hannah", "Ian",
            "Imran", "Jack", "Jade", "James", "Jordan", "Karen", "Kwame", "Laura", "Liam", "Lucy", "Marek", "Maria",
            "Mohammed", "Nadia", "Niamh", "Oliver", "Olivia", "Owen", "Paul", "Priya", "Rachel", "Rhys", "Ruth",
            "Sam", "Sandra", "Sean", "Siobhan", "Sophie", "Stephen", "Tariq", "Thomas", "Tom", "Una", "Victoria",
            "Wei", "Yusuf", "Zainab", "Zoe",
        ]
        static let surnames = [
            "Adeyemi", "Ahmed", "Ali", "Allen", "Bailey", "Baker", "Begum", "Bell", "Brown", "Byrne", "Campbell",
            "Carter", "Chen", "Clarke", "Collins", "Cooper", "Davies", "Dixon", "Doherty", "Edwards", "Ellis",
            "Evans", "Fisher", "Foster", "Gallagher", "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson",
            "James", "Jones", "Kaur", "Kelly", "Khan", "King", "Kowalski", "Lee", "Lewis", "Lloyd", "Mahmood",
            "Martin", "Mensah", "Mitchell", "Moore", "Morgan", "Morris", "Murphy", "Nguyen", "Nowak", "Obi",
            "Okafor", "O'Brien", "Owen", "Parker", "Patel", "Phillips", "Price", "Quinn", "Rahman", "Reid",
            "Roberts", "Robinson", "Rossi", "Scott", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Thompson",
            "Turner", "Walker", "Walsh", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Wu",
            "Young", "Zhang", "Begum-Ali", "Ferreira", "Kowalczyk", "Okonkwo",
        ]

        /// A candidate's name: two cases a candidate, 61 × 89 names, so a name is shared by
        /// about 90 candidates at a million cases, as common names are.
        static func name(_ index: Int) -> String {
            let candidate = index / 2
            return firstNames[candidate % firstNames.count] + " "
                + surnames[(candidate / firstNames.count) % surnames.count]
        }
    }
}
