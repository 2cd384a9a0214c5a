import Foundation
import GRDB
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateStore

/// The outbox's delivery rules, straight against SQLite: order per case, probes of a failing
/// peer, release of its backlog, expiry, parking and sending again.
@Suite(.timeLimit(.minutes(2))) struct DeliveryStoreTests {
    let now = Date(epochMilliseconds: 1_795_000_000_000)
    let salford = AuthorityID(rawValue: "E08000006")!
    let trafford = AuthorityID(rawValue: "E08000009")!
    let manchester = AuthorityID(rawValue: "E08000003")!

    /// A store with messages queued in this order: (message id, case id, peer).
    func store(_ queued: [(String, String, AuthorityID)]) async throws -> (Store, TemporaryFolder) {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.file("db.sqlite"))
        try await store.write { [self] tx in
            for (id, caseID, peer) in queued {
                if try tx.reader.case(caseID) == nil {
                    try tx.insert(
                        CaseRecord(
                            id: caseID, side: .requester, peer: peer, status: .awaitingResponse, candidateName: "A",
                            candidateRole: .teamManager, respondBy: now.addingTimeInterval(172_800),
                            requestMessageID: id, createdAt: now, updatedAt: now))
                }
                try tx.insert(
                    MessageRecord(
                        id: id, caseID: caseID, direction: .outgoing, kind: .verificationRequest, from: manchester,
                        to: peer, sentAt: now, recordedAt: now, jws: "h.p.s", digest: "d-\(id)"))
                try tx.enqueue(
                    messageID: id, peer: peer, caseID: caseID, notBefore: now,
                    expiresAt: now.addingTimeInterval(86_400))
            }
        }
        return (store, folder)
    }

    /// The ids `dueOutbox` returns at `time`.
    func due(_ store: Store, at time: Date) async throws -> [String] {
        try await store.read { try $0.dueOutbox(now: time, limit: 10) }.map(\.messageID)
    }

    /// Claims of more entries than one statement takes (64), on both engines: each entry is
    /// claimed once while its claim is live and again once it has lapsed; an unknown id is not.
    @Test(arguments: TestEngine.allCases) func manyEntriesAreClaimedOnceUntilTheirClaimsLapse(
        engine: TestEngine
    ) async throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let ids = (0..<70).map { "m\($0)" }
        try await store.write { [self] tx in
            for id in ids {
                try tx.insert(
                    MessageRecord(
                        id: id, caseID: nil, direction: .outgoing, kind: .checkpoint, from: manchester, to: salford,
                        sentAt: now, recordedAt: now, jws: "h.p.s", digest: "d-\(id)"))
                try tx.enqueue(
                    messageID: id, peer: salford, caseID: nil, notBefore: now, expiresAt: now.addingTimeInterval(86_400)
                )
            }
        }
        let until = now.addingTimeInterval(60)
        let first = try await store.write { [now] tx in
            try tx.claim(.outbox, ids: ids + ["unknown"], until: until, now: now)
        }
        #expect(first == Set(ids))
        let again = try await store.write { [now] tx in
            try tx.claim(.outbox, ids: ids, until: until, now: now.addingTimeInterval(30))
        }
        #expect(again.isEmpty)
        let lapsed = try await store.write { [now] tx in
            try tx.claim(.outbox, ids: ["m69", "m0", "m3"], until: until, now: now.addingTimeInterval(61))
        }
        #expect(lapsed == ["m69", "m0", "m3"])
        let held = try await store.read { try $0.messages(ids: ids + ["unknown"]) }
        #expect(Set(held.keys) == Set(ids))
        #expect(held["m42"]?.digest == "d-m42")
    }

    /// A peer's receipts for more entries than one statement takes, recorded together on both
    /// engines: every entry delivered, every receipt kept, each with its audit entry naming the
    /// entry's case.
    @Test(arguments: TestEngine.allCases) func receiptsForManyEntriesAreRecordedTogether(engine: TestEngine)
        async throws
    {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let ids = (0..<70).map { "m\($0)" }
        let entries = try await store.write { [self] tx in
            for id in ids {
                try tx.insert(
                    CaseRecord(
                        id: "case-\(id)", side: .requester, peer: salford, status: .awaitingResponse,
                        candidateName: "A", candidateRole: .teamManager, respondBy: now.addingTimeInterval(172_800),
                        requestMessageID: id, createdAt: now, updatedAt: now))
                try tx.insert(
                    MessageRecord(
                        id: id, caseID: "case-\(id)", direction: .outgoing, kind: .verificationRequest,
                        from: manchester,
                        to: salford, sentAt: now, recordedAt: now, jws: "h.p.s", digest: "d-\(id)"))
                try tx.enqueue(
                    messageID: id, peer: salford, caseID: "case-\(id)", notBefore: now,
                    expiresAt: now.addingTimeInterval(86_400))
            }
            return try ids.map { try #require(try tx.reader.outboxEntry(messageID: $0)) }
        }
        let receipts = entries.map {
            (
                receipt: ReceiptRecord(
                    messageID: $0.messageID, receiptID: "r-\($0.messageID)", jws: "x.y.z", receivedAt: now), entry: $0
            )
        }
        try await store.write { [now] tx in try tx.markDelivered(receipts, at: now) }
        for id in ids {
            #expect(try await store.read { try $0.outboxEntry(messageID: id) }?.state == .delivered)
            #expect(try await store.read { try $0.receipt(messageID: id) }?.receiptID == "r-\(id)")
        }
        let audited = try await store.read { try $0.auditRows() }.map { String(decoding: $0.entry, as: UTF8.self) }
            .filter { $0.contains("receipt.recorded") }
        #expect(audited.count == 70)  // besides each case's and message's own entries
        #expect(audited.allSatisfy { $0.contains("\"case-m") })
    }

    /// A set of keys runs as statements of 1, 2, 4, … 64 keys, the last key repeated to fill one.
    @Test func keysAreSentInChunksOfFewSizes() {
        #expect(KeyList.chunks([]).isEmpty)
        #expect(KeyList.chunks(["a"]).map(\.placeholders) == ["?"])
        let three = KeyList.chunks(["a", "b", "c"])
        #expect(three.map(\.placeholders) == ["?, ?, ?, ?"])
        #expect(three.first?.arguments.values == ["a", "b", "c", "c"].map(\.databaseValue))
        let many = KeyList.chunks((0..<65).map { "k\($0)" })
        #expect(many.map { $0.arguments.values.count } == [64, 1])
        // Rows to insert cannot be padded: 37 rows go as 32, 4 and 1; never more than `most`.
        #expect(KeyList.powerOfTwoChunks(Array(0..<37), most: 64).map(\.count) == [32, 4, 1])
        #expect(KeyList.powerOfTwoChunks(Array(0..<300), most: 100).map(\.count) == [64, 64, 64, 64, 32, 8, 4])
        #expect(KeyList.powerOfTwoChunks([Int](), most: 64).isEmpty)
    }

    @Test func aLaterMessageOfACaseWaitsForTheEarlierOnes() async throws {
        let (store, folder) = try await store([
            ("request", "c1", salford), ("notice", "c1", salford), ("other", "c2", salford),
        ])
        defer { withExtendedLifetime(folder) {} }
        #expect(try await due(store, at: now) == ["request", "other"])

        // The request backs off: its notice still waits, and the wake-up is the request's retry.
        try await store.write { [now] tx in
            try tx.markRetry(messageID: "request", error: "HTTP 404", problem: nil, retryAt: now.addingTimeInterval(60))
        }
        #expect(try await due(store, at: now) == ["other"])
        #expect(try await store.read { try $0.nextOutboxWake() } == now)  // "other" is due now

        // Parked, it still holds the notice back; delivered or expired, it releases it.
        try await store.write { tx in try tx.markParked(messageID: "request", error: "schema-invalid", problem: "{}") }
        #expect(try await due(store, at: now.addingTimeInterval(120)) == ["other"])
        try await store.write { tx in try tx.markExpired(messageID: "request") }  // no effect: it is parked
        #expect(try await store.read { try $0.outboxEntry(messageID: "request") }?.state == .parked)
        let retried = try await store.write { [now] tx in try tx.retryParked(messageID: "request", at: now) }
        #expect(retried == 1)
        try await store.write { [now] tx in
            try tx.markDelivered(ReceiptRecord(messageID: "request", receiptID: "r", jws: "x.y.z", receivedAt: now))
        }
        #expect(try await due(store, at: now) == ["notice", "other"])
    }

    @Test func aFailingPeerGetsOneProbeAndItsFirstSuccessReleasesTheBacklog() async throws {
        let (store, folder) = try await store([("s1", "c1", salford), ("s2", "c2", salford), ("t1", "c3", trafford)])
        defer { withExtendedLifetime(folder) {} }
        let probeAt = now.addingTimeInterval(30)
        try await store.write { [now] tx in
            for id in ["s1", "s2"] {
                try tx.markRetry(
                    messageID: id, error: "connect-refused", problem: nil, retryAt: now.addingTimeInterval(900))
            }
            _ = try tx.markPeerFailed(self.salford, error: "connect-refused", at: now, nextProbeAt: probeAt)
        }
        // Salford is held back entirely; Trafford is not held up by it.
        #expect(try await due(store, at: now.addingTimeInterval(60)) == ["t1"])
        let probedEarly = try await store.read { [now] in try $0.peersDueForProbe(now: now) }
        #expect(probedEarly.isEmpty)
        #expect(try await store.read { try $0.peersDueForProbe(now: probeAt) } == [salford])
        // The probe is the oldest message, whatever its own retry time.
        let probe = try await store.read { [salford] in try $0.probeEntry(peer: salford, now: probeAt) }
        #expect(probe?.messageID == "s1")
        #expect(try await store.read { try $0.nextOutboxWake() } == now)  // t1

        let before = try await store.write { [salford] tx in try tx.markPeerAnswered(salford, at: probeAt) }
        #expect(before?.consecutiveFailures == 1)
        #expect(Set(try await due(store, at: probeAt)) == ["s1", "s2", "t1"], "the backlog is released at once")
        let health = try await store.read { try $0.peerHealth() }
        #expect(health.map(\.peer) == [salford, trafford])
        #expect(health[0].consecutiveFailures == 0 && health[0].lastSuccessAt == probeAt && health[0].backlog == 2)
    }

    @Test func expiryAndHealthAreReported() async throws {
        let (store, folder) = try await store([("s1", "c1", salford), ("s2", "c2", salford)])
        defer { withExtendedLifetime(folder) {} }
        let later = now.addingTimeInterval(86_400)
        let notYet = try await store.read { [now] in try $0.expiredOutbox(now: now, limit: 10) }
        #expect(notYet.isEmpty)
        #expect(try await store.read { try $0.expiredOutbox(now: later, limit: 10) }.map(\.messageID) == ["s1", "s2"])
        try await store.write { tx in
            try tx.markExpired(messageID: "s1")
            try tx.markParked(
                messageID: "s2", error: "HTTP 400 schema-invalid: /x", problem: #"{"code":"schema-invalid"}"#)
        }
        let health = try #require(try await store.read { try $0.peerHealth() }.first)
        #expect(health.backlog == 0 && health.parked == 1 && health.expired == 1 && health.nextAttemptAt == nil)
        let problems = try await store.read { try $0.deliveryProblems() }
        #expect(problems.map(\.entry.messageID) == ["s1", "s2"])
        #expect(
            problems[1].entry.lastProblem == #"{"code":"schema-invalid"}"# && problems[1].kind == .verificationRequest)
    }
}
