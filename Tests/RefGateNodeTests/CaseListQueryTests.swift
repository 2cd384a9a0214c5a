import Foundation
import RefGateCore
import RefGateStore
import RefGateTestSupport
import Testing

@testable import RefGateNode

/// The case list is filtered, counted and paged in SQL: for every filter it must list exactly
/// what the rule in memory (`CaseFilter.matches` over every case, RAG by working time) lists,
/// in the same order, including deadlines at the edges of the amber threshold over a weekend.
@Suite(.timeLimit(.minutes(3))) struct CaseListQueryTests {
    /// Friday 4 December 2026, 09:00 in London (UTC in winter): a working day's amber threshold
    /// ends at 17:00, and nothing of Saturday or Sunday counts.
    static let friday = Date(timeIntervalSince1970: 1_796_374_800)

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: TestEngine.allCases) func theSQLListsWhatTheRuleInMemoryLists(engine: TestEngine) async throws {
        let region = try TestRegion(start: Self.friday, engine: engine)
        let node = try await region.makeEngine(TestRegion.manchester)
        var random = Generator(state: 42)
        let peers = [TestRegion.salford, TestRegion.trafford]
        let names = ["Alex Morgan", "Sam Okafor", "Priya Shah", "Jordan Ellis", "50% Done_Person"]
        // Deadlines at the edges: now, Friday 17:00 (the threshold), the weekend, Monday 09:00
        // (still within it: no working time passes), a millisecond later, and further off.
        let edges: [TimeInterval] = [
            -3600, 0, 1, 8 * 3600, 8 * 3600 + 0.001, 27 * 3600, 72 * 3600, 72 * 3600 + 0.001, 96 * 3600,
        ]
        let statuses: [CaseStatus] = [.awaitingResponse, .awaitingResponse, .verified, .notVerified, .unableToVerify]
        var records: [CaseRecord] = []
        var escalations: [EscalationRecord] = []
        for n in 0..<240 {
            let status = statuses.randomElement(using: &random)!
            let level = status == .awaitingResponse ? Int.random(in: 0...3, using: &random) : 0
            var record = CaseRecord(
                id: UUID().uuidString.lowercased(), side: Bool.random(using: &random) ? .requester : .responder,
                peer: peers.randomElement(using: &random)!, status: status,
                candidateName: names.randomElement(using: &random)!, candidateRole: .qualifiedSocialWorker,
                candidateRegistration: "SW\(100 + n % 60)",
                respondBy: Self.friday.addingTimeInterval(edges.randomElement(using: &random)!),
                requestMessageID: UUID().uuidString.lowercased(),
                createdAt: Self.friday.addingTimeInterval(-Double(n % 37) * 60), updatedAt: Self.friday)
            record.escalationLevel = level
            records.append(record)
            for escalation in stride(from: 1, through: min(level, 2), by: 1) {
                escalations.append(
                    EscalationRecord(
                        id: UUID().uuidString.lowercased(), caseID: record.id, level: escalation,
                        reason: escalation == 1 ? .responseOverdue : .levelOneOverdue,
                        role: escalation == 1 ? .serviceManager : .headOfService,
                        raisedBy: Person(name: "S", role: "Service Manager"), note: nil, raisedAt: Self.friday,
                        dueAt: Self.friday.addingTimeInterval(edges.randomElement(using: &random)!),
                        noticeMessageID: UUID().uuidString.lowercased()))
            }
        }
        try await node.store.write { [records, escalations] tx in
            for record in records { try tx.insert(record) }
            for escalation in escalations { try tx.insert(escalation) }
        }
        let policy = node.engine.policy
        let now = region.clock.now()
        let (all, awaiting) = try await node.store.read { (try $0.cases(limit: 1_000), try $0.awaitingCases()) }
        let rated = Dictionary(
            uniqueKeysWithValues: awaiting.map {
                ($0.record.id, OutstandingCase($0.record, escalationDue: $0.escalationDue, policy: policy, now: now))
            })
        func inMemory(_ filter: CaseFilter) -> [String] {
            all.filter { record in
                let outstanding = rated[record.id]
                let summary = CaseSummary(
                    caseID: record.id, side: record.side, peer: record.peer, status: record.status,
                    candidateName: record.candidateName, role: record.candidateRole,
                    escalationLevel: record.escalationLevel, createdAt: record.createdAt, dueAt: outstanding?.dueAt,
                    workingSecondsLeft: outstanding?.workingSecondsLeft, rag: outstanding?.rag,
                    overdue: outstanding.map { $0.dueAt <= now || $0.rag == .red } ?? false)
                return filter.matches(summary, registration: record.candidateRegistration)
            }.map(\.id)
        }
        var filters: [CaseFilter] = [CaseFilter()]
        for rag in RAGStatus.allCases { filters.append(CaseFilter(rag: rag)) }
        for overdue in [true, false] { filters.append(CaseFilter(overdue: overdue)) }
        for status in CaseStatus.allCases { filters.append(CaseFilter(status: status)) }
        for side in [CaseSide.requester, .responder] { filters.append(CaseFilter(side: side, rag: .amber)) }
        filters += [
            CaseFilter(peer: TestRegion.salford, overdue: false), CaseFilter(candidate: "sam"),
            CaseFilter(candidate: "SW101"), CaseFilter(candidate: "sw101"), CaseFilter(candidate: "50%"),
            CaseFilter(candidate: "_"), CaseFilter(side: .responder, status: .awaitingResponse, rag: .green),
        ]
        var amberSeen = 0
        for filter in filters {
            let expected = inMemory(filter)
            var listed: [String] = []
            var offset = 0
            while true {
                let page = try await node.engine.queries.cases(filter, limit: 17, offset: offset)
                #expect(page.total == expected.count, "\(filter)")
                listed += page.items.map(\.caseID)
                guard let next = page.nextOffset else { break }
                offset = next
            }
            #expect(listed == expected, "\(filter)")
            if filter == CaseFilter(rag: .amber) { amberSeen = listed.count }
        }
        #expect(amberSeen > 0, "some cases sit within the amber threshold")

        // The outstanding list: most urgent first, paged in SQL, as the sort in memory orders it.
        let order: [RAGStatus: Int] = [.red: 0, .amber: 1, .green: 2]
        let everyOutstanding = rated.values.sorted {
            (order[$0.rag]!, $0.dueAt, $0.caseID) < (order[$1.rag]!, $1.dueAt, $1.caseID)
        }
        #expect(everyOutstanding.contains { $0.rag == .red && $0.dueAt > now }, "a spent ladder not yet due")
        var outstandingFilters: [CaseFilter] = [CaseFilter()]
        for rag in RAGStatus.allCases { outstandingFilters.append(CaseFilter(rag: rag)) }
        outstandingFilters += [
            CaseFilter(side: .responder, rag: .amber), CaseFilter(peer: TestRegion.trafford),
            CaseFilter(side: .requester, rag: .red), CaseFilter(candidate: "priya"),
        ]
        for filter in outstandingFilters {
            let registrations = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.candidateRegistration) })
            let expected = everyOutstanding.filter { item in
                (filter.side == nil || filter.side == item.side) && (filter.peer == nil || filter.peer == item.peer)
                    && (filter.rag == nil || filter.rag == item.rag)
                    && (filter.candidate.map { needle in
                        item.candidateName.lowercased().contains(needle.lowercased())
                            || registrations[item.caseID]??.lowercased() == needle.lowercased()
                    } ?? true)
            }
            var listed: [OutstandingCase] = []
            var offset = 0
            while true {
                let page = try await node.engine.queries.outstanding(filter, limit: 7, offset: offset)
                #expect(page.total == expected.count, "\(filter)")
                listed += page.items
                guard let next = page.nextOffset else { break }
                offset = next
            }
            #expect(listed.map(\.caseID) == expected.map(\.caseID), "\(filter)")
            #expect(try await node.engine.queries.outstanding(filter).items == expected, "\(filter), unpaged")
        }
        // Candidates, newest request first, paged in SQL: as the rule in memory orders them.
        let requested = all.filter { $0.side == .requester && $0.candidateRegistration != nil }
        let latest = Dictionary(grouping: requested, by: { $0.candidateRegistration! }).mapValues {
            $0.map(\.createdAt).max()!
        }
        let newestFirst = latest.keys.sorted { (latest[$1]!, $0) < (latest[$0]!, $1) }
        var paged: [String] = []
        var candidateOffset: Int? = 0
        while let offset = candidateOffset {
            let page = try await node.engine.queries.candidates(limit: 7, offset: offset)
            paged += page.items.map(\.registration)
            candidateOffset = page.nextOffset
        }
        #expect(paged == newestFirst)
        #expect(try await node.engine.queries.candidates().items.map(\.registration) == newestFirst)
        let standing = try await node.engine.queries.candidateStatus(registration: newestFirst[0])
        #expect(try await node.engine.queries.candidates(limit: 1).items.first == standing)

        let counts = try await node.engine.queries.outstandingCounts()
        for side in [CaseSide.requester, .responder] {
            for rag in RAGStatus.allCases {
                #expect(
                    counts.filter { $0.side == side && $0.rag == rag }.reduce(0) { $0 + $1.count }
                        == everyOutstanding.filter { $0.side == side && $0.rag == rag }.count)
            }
        }
    }
}
