import Foundation
import GRDB
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateStore

/// The performance report over all time reads running totals kept by triggers
/// (`AnswerTally`); over a period it reads the period's cases. Both must give exactly the
/// figures the cases make, counted here the slow way, through inserts, answers, changed
/// times, escalations and deletions, on both engines.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AnswerTallyTests {
    static let us = AuthorityID(rawValue: "E08000003")!
    static let peers = ["E08000006", "E08000009", "E09000001"].map { AuthorityID(rawValue: $0)! }
    static let start = Date(epochMilliseconds: 1_795_000_000_000)

    /// The working time of case `index`: on band edges (multiples of 2,048 s and a hair either
    /// side), ties, zero, below zero and past the last band.
    static func seconds(_ index: Int) -> Double {
        switch index % 9 {
        case 0: Double(index % 7) * AnswerTally.width
        case 1: Double(index % 5 + 1) * AnswerTally.width - 0.001
        case 2: Double(index % 5) * AnswerTally.width + 0.001
        case 3: 3_600
        case 4: 0
        case 5: -5
        case 6: 2_200_000 + Double(index)
        default: Double(index * 37 % 90_000)
        }
    }

    static func load(_ store: Store, count: Int) throws {
        var cases: [CaseRecord] = []
        var messages: [MessageRecord] = []
        for index in 0..<count {
            let peer = peers[index % peers.count]
            let side: CaseSide = index % 4 == 0 ? .responder : .requester
            let requested = start.addingTimeInterval(Double(index) * 60)
            var record = CaseRecord(
                id: String(format: "00000000-0000-4000-8000-%012d", index), side: side, peer: peer,
                status: .awaitingResponse, candidateName: "Alex Morgan", candidateRole: .qualifiedSocialWorker,
                candidateRegistration: "SW\(index)", respondBy: requested.addingTimeInterval(86_400),
                requestMessageID: "request-\(index)", createdAt: requested, updatedAt: requested)
            func message(_ id: String, _ kind: MessageKind, at time: Date) -> MessageRecord {
                MessageRecord(
                    id: id, caseID: record.id, direction: .outgoing, kind: kind, from: us, to: peer, sentAt: time,
                    recordedAt: time, jws: "test", digest: "test")
            }
            messages.append(message(record.requestMessageID, .verificationRequest, at: requested))
            if index % 6 != 5 {
                record.status = .verified
                record.responseMessageID = "response-\(index)"
                messages.append(
                    message("response-\(index)", .verificationResponse, at: requested.addingTimeInterval(60)))
            }
            record.highestEscalationLevel = index % 11 == 0 ? 3 : index % 7 == 0 ? 1 : 0
            cases.append(record)
        }
        try store.writeSync { try $0.insertForBenchmark(cases: cases, messages: messages) }
        // Each answer's working time, looked up by when its request was signed.
        try store.writeSync { tx in
            while try tx.fillAnswerWorkingTimes(
                limit: 1_000,
                workingTime: { requested, _ in seconds(Int((requested.timeIntervalSince(start) / 60).rounded())) }) > 0
            {}
        }
    }

    /// The figures counted from every case, in `[from, to)`.
    static func expected(_ store: Store, from: Int64 = .min, to: Int64 = .max) async throws -> [PerformanceCounts] {
        let rows = try await store.read { reader in
            try Row.fetchAll(
                reader.db,
                sql: """
                    SELECT peer, side, highest_escalation_level AS level, answered_at, answer_working_seconds AS seconds
                    FROM cases WHERE requested_at >= ? AND requested_at < ?
                    """, arguments: [from, to]
            ).map {
                (
                    peer: $0["peer"] as String, side: $0["side"] as String, level: $0["level"] as Int,
                    answered: ($0["answered_at"] as Int64?) != nil, seconds: $0["seconds"] as Double?
                )
            }
        }
        var groups: [String: PerformanceCounts] = [:]
        var times: [String: [Double]] = [:]
        for row in rows {
            let key = "\(row.peer) \(row.side)"
            var group =
                groups[key]
                ?? PerformanceCounts(
                    peer: AuthorityID(rawValue: row.peer)!, side: CaseSide(rawValue: row.side)!, requests: 0,
                    answered: 0, escalatedToLevel: [0, 0, 0])
            group.requests += 1
            for index in 0..<min(row.level, 3) { group.escalatedToLevel[index] += 1 }
            if row.answered {
                group.answered += 1
                if let seconds = row.seconds { times[key, default: []].append(seconds) }
            }
            groups[key] = group
        }
        return groups.map { key, group in
            var group = group
            let sorted = (times[key] ?? []).sorted()
            if !sorted.isEmpty {
                group.medianWorkingSeconds = sorted[(sorted.count * 50 + 99) / 100 - 1]
                group.p90WorkingSeconds = sorted[(sorted.count * 90 + 99) / 100 - 1]
            }
            return group
        }.sorted { ($0.peer.rawValue, $0.side.rawValue) < ($1.peer.rawValue, $1.side.rawValue) }
    }

    static func expectFigures(_ store: Store, _ comment: Comment) async throws {
        let all = try await expected(store)
        #expect(!all.isEmpty)
        #expect(try await store.read { try $0.performanceCounts() } == all, comment)
        let open = try await store.read {
            try $0.performanceCounts(from: Date(epochMilliseconds: 0), to: Date(epochMilliseconds: 4_000_000_000_000))
        }
        #expect(open == all, comment)
        let from = start.addingTimeInterval(100 * 60)
        let to = start.addingTimeInterval(400 * 60 + 30)
        let period = try await store.read { try $0.performanceCounts(from: from, to: to) }
        #expect(period == (try await expected(store, from: from.epochMilliseconds, to: to.epochMilliseconds)), comment)
    }

    @Test(arguments: TestEngine.allCases) func theRunningTotalsGiveTheFiguresTheCasesMake(engine: TestEngine)
        async throws
    {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        try Self.load(store, count: 1_200)
        try await Self.expectFigures(store, "after loading")

        // Answers taken back, times changed (across bands and past the last), levels raised,
        // a case moved to another peer, and cases deleted.
        try await store.write { tx in
            try tx.db.run(
                sql: "UPDATE cases SET answered_at = NULL WHERE CAST(substr(id, 25) AS INTEGER) % 13 = 0")
            try tx.db.run(
                sql: """
                    UPDATE cases SET answer_working_seconds = answer_working_seconds + 2048
                    WHERE CAST(substr(id, 25) AS INTEGER) % 17 = 0
                    """)
            try tx.db.run(
                sql: "UPDATE cases SET highest_escalation_level = 2 WHERE CAST(substr(id, 25) AS INTEGER) % 19 = 0")
            try tx.db.run(
                sql: "UPDATE cases SET peer = 'E09000001' WHERE CAST(substr(id, 25) AS INTEGER) % 23 = 0")
            try tx.db.run(
                sql:
                    "DELETE FROM messages WHERE case_id IN (SELECT id FROM cases WHERE CAST(substr(id, 25) AS INTEGER) % 29 = 0)"
            )
            try tx.db.run(sql: "DELETE FROM cases WHERE CAST(substr(id, 25) AS INTEGER) % 29 = 0")
            try tx.db.run(sql: "UPDATE cases SET requested_at = NULL WHERE CAST(substr(id, 25) AS INTEGER) % 31 = 0")
        }
        try await Self.expectFigures(store, "after changes")

        // The case list's count by side and peer alone comes from the same totals, and the
        // cases whose request has no time.
        for query in [
            CaseQuery(), CaseQuery(side: .responder), CaseQuery(peer: Self.peers[2]),
            CaseQuery(side: .requester, peer: Self.peers[0]), CaseQuery(status: .verified),
        ] {
            let (total, counted) = try await store.read { reader in
                (
                    try reader.casePage(query, now: Self.start, amberUntil: Self.start, limit: 1, offset: 0).total,
                    try Int.fetchOne(
                        reader.db,
                        sql:
                            "SELECT count(*) FROM cases WHERE side = COALESCE(?, side) AND peer = COALESCE(?, peer) AND status = COALESCE(?, status)",
                        arguments: [query.side?.rawValue, query.peer?.rawValue, query.status?.rawValue])
                )
            }
            #expect(total == counted, "\(query)")
        }

        // PostgreSQL's rows of changes fold into one row per key with the same figures.
        let toFold = try await store.read { try $0.performanceOverAllTime().rowsToFold }
        if engine == .postgres {
            #expect(toFold > 0)
            let before = try await store.read { try $0.performanceCounts() }
            try await store.write { try $0.foldAnswerTallies() }
            #expect(try await store.read { try $0.performanceOverAllTime().rowsToFold } == 0)
            #expect(try await store.read { try $0.performanceCounts() } == before)
            try await Self.expectFigures(store, "after folding")
        } else {
            #expect(toFold == 0)
        }
    }

    /// A store holding cases before migration v29 gets its totals worked out by the migration.
    @Test func theMigrationCountsTheCasesAlreadyHeld() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("v28.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try Store.migrator.migrate(queue, upTo: "v28-answer-times")
            try await queue.write { db in
                for index in 0..<300 {
                    let requested = Self.start.epochMilliseconds + Int64(index) * 60_000
                    let answered = index % 6 == 5 ? nil : requested + 60_000
                    try db.execute(
                        sql: """
                            INSERT INTO cases (id, side, peer, status, candidate_name, candidate_role, respond_by,
                                request_message_id, created_at, updated_at, requested_at, answered_at,
                                answer_working_seconds, highest_escalation_level)
                            VALUES (?, ?, ?, 'verified', 'Alex Morgan', 'team-manager', ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            "case-\(index)", index % 4 == 0 ? "responder" : "requester",
                            Self.peers[index % 3].rawValue, requested + 86_400_000, "request-\(index)", requested,
                            requested, requested, answered,
                            answered == nil || index % 8 == 0 ? nil : Self.seconds(index),
                            index % 11 == 0 ? 3 : index % 7 == 0 ? 1 : 0,
                        ])
                }
            }
        }
        let store = try Store(path: path)
        try await Self.expectFigures(store, "after migration v29")
    }
}
