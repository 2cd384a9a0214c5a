import Foundation
import RefGateCore
import RefGateTestSupport
import Synchronization
import Testing

@testable import RefGateStore

@Suite(.timeLimit(.minutes(2))) struct StoreTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let salford = AuthorityID(rawValue: "E08000006")!
    let manchester = AuthorityID(rawValue: "E08000003")!

    func caseRecord(_ id: String = "case-1") -> CaseRecord {
        CaseRecord(
            id: id, side: .requester, peer: salford, status: .awaitingResponse, candidateName: "Alex Morgan",
            candidateRole: .teamManager, respondBy: now.addingTimeInterval(172_800), requestMessageID: "msg-\(id)",
            createdAt: now, updatedAt: now)
    }

    func message(_ id: String, caseID: String, jws: String = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln") -> MessageRecord {
        MessageRecord(
            id: id, caseID: caseID, direction: .outgoing, kind: .verificationRequest, from: manchester, to: salford,
            sentAt: now, recordedAt: now, jws: jws, digest: "d-\(id)")
    }

    @Test(arguments: TestEngine.allCases) func aRowThisVersionDoesNotKnowIsAnErrorNotACrash(engine: TestEngine)
        async throws
    {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let record = caseRecord()
        try await store.write { tx in try tx.insert(record) }
        // As a newer version might write it: a status this version has never heard of.
        try store.writeSync { tx in
            try tx.db.execute(sql: "UPDATE cases SET status = 'withdrawn' WHERE id = ?", arguments: [record.id])
        }
        await #expect(throws: (any Error).self) { try await store.read { try $0.case(record.id) } }
    }

    /// `writers` in the configuration: 4 lanes by default, never more than half the connections
    /// (reads must always find one), never fewer than one; a PostgreSQL database written by a
    /// previous release's configuration (no `writers`) gets the default.
    @Test func writerLanesFollowTheSettingWithinTheConnections() throws {
        func lanes(_ json: String) throws -> Int {
            try JSONDecoder().decode(PostgresSettings.self, from: Data(json.utf8)).writerLanes
        }
        #expect(try lanes(#"{"url": "postgres://refgate@db/refgate"}"#) == 4)
        #expect(try lanes(#"{"url": "postgres://refgate@db/refgate", "writers": 2}"#) == 2)
        #expect(try lanes(#"{"url": "postgres://refgate@db/refgate", "writers": 8}"#) == 4)
        #expect(try lanes(#"{"url": "postgres://refgate@db/refgate", "writers": 8, "connections": 20}"#) == 8)
        #expect(try lanes(#"{"url": "postgres://refgate@db/refgate", "connections": 2}"#) == 1)
        #expect(try lanes(#"{"url": "postgres://refgate@db/refgate", "writers": 0}"#) == 1)
    }

    /// A PostgreSQL server out of reach is `database-unavailable` (HTTP 503, try again), not a
    /// storage fault of the node.
    @Test func aServerOutOfReachIsUnavailableForNow() throws {
        // Port 1: nothing listens there, so the connection is refused at once.
        let settings = PostgresSettings(
            host: "127.0.0.1", port: 1, user: "refgate", database: "refgate", tls: .init(mode: "disable"))
        let error = #expect(throws: RefGateError.self) { try Store(postgres: settings) }
        #expect(error?.code == .databaseUnavailable)
        #expect(error?.detail.contains("cannot connect to PostgreSQL") == true)
    }

    @Test func theDatabaseIsOwnerOnly() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("node/db.sqlite")
        let store = try Store(path: path)
        let record = caseRecord()
        try await store.write { tx in try tx.insert(record) }
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(try mode(file) == 0o600, "\(file)")
        }
        #expect(try mode(folder.file("node")) == 0o700)
    }

    /// The node creates its folder owner-only, leaves a shared folder (like `/tmp`) as it is,
    /// and refuses one in which anyone may replace its database.
    @Test func theStoreOwnsOnlyTheFolderItCreates() throws {
        let folder = try TemporaryFolder()
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        let shared = folder.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o1777)
        _ = try Store(path: shared + "/db.sqlite")
        #expect(try mode(shared) == 0o1777, "a shared folder keeps its sticky and world bits")
        #expect(try mode(shared + "/db.sqlite") == 0o600)

        let open = folder.file("open")
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
        chmod(open, 0o777)
        #expect(throws: RefGateError.self) { _ = try Store(path: open + "/db.sqlite") }
        #expect(!FileManager.default.fileExists(atPath: open + "/db.sqlite"))

        _ = try Store(path: folder.file("new/deeper/db.sqlite"))
        #expect(try mode(folder.file("new/deeper")) == 0o700)
        #expect(try mode(folder.file("new")) == 0o700)
    }

    /// After each commit the store says which work queues it touched, so no caller wakes a
    /// service by hand; a write that fails touches nothing.
    @Test func aCommitWakesTheQueuesItTouched() async throws {
        let folder = try TemporaryFolder()
        let woken = Mutex<[Set<WorkQueue>]>([])
        let store = try Store(path: folder.file("db.sqlite"), wake: { queues in woken.withLock { $0.append(queues) } })
        let record = caseRecord()
        try await store.write { [self] tx in
            try tx.insert(record)
            try tx.insert(message("msg-w", caseID: record.id))
            try tx.enqueue(
                messageID: "msg-w", peer: salford, caseID: record.id, notBefore: now,
                expiresAt: now.addingTimeInterval(86_400))
        }
        #expect(woken.withLock { $0 } == [[.deadlines, .outbox]])
        await #expect(throws: RefGateError.self) {
            try await store.write { tx in
                try tx.enqueue(
                    NotificationRecord(
                        caseID: nil, channel: .webhook, target: "https://hooks.example", event: "e", subject: "s",
                        body: "b", createdAt: Date(epochMilliseconds: 2)))
                throw RefGateError(.invalidInput, "rolled back")
            }
        }
        try store.writeSync { tx in
            try tx.enqueue(
                NotificationRecord(
                    caseID: nil, channel: .webhook, target: "https://hooks.example", event: "e", subject: "s",
                    body: "b",
                    createdAt: Date(epochMilliseconds: 3)))
        }
        // The rolled-back write woke nothing.
        #expect(woken.withLock { $0 }.count == 2)
        #expect(woken.withLock { $0 }.last == [.notifications])
        try await store.write { tx in _ = try tx.reader.case(record.id) }
        #expect(woken.withLock { $0 }.count == 2, "a commit that touches no queue wakes nothing")
    }

    @Test(arguments: TestEngine.allCases) func commitsAreDurable(engine: TestEngine) throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        #expect(try store.synchronousMode() == 2, "PRAGMA synchronous must be FULL on the writer")
    }

    @Test(arguments: TestEngine.allCases) func aCaseItsMessageAndItsDeliveryCommitTogether(engine: TestEngine)
        async throws
    {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let record = caseRecord()
        let jws = "eyJhbGciOiJFUzI1NiJ9.eyJ0eXBlIjoicmVxdWVzdCJ9.\u{00e9}exact-bytes"
        try await store.write { [self] tx in
            try tx.insert(record)
            try tx.insert(message("msg-case-1", caseID: "case-1", jws: jws))
            try tx.enqueue(
                messageID: "msg-case-1", peer: salford, caseID: "case-1", notBefore: now,
                expiresAt: now.addingTimeInterval(86_400))
        }
        let (stored, messages, due) = try await store.read { [now] reader in
            (
                try reader.case("case-1"), try reader.messages(caseID: "case-1"),
                try reader.dueOutbox(now: now, limit: 10)
            )
        }
        // The case keeps when its request was signed, from the request message stored after it.
        var expected = record
        expected.requestedAt = now
        #expect(stored == expected)
        #expect(messages.first?.jws == jws)
        #expect(due.map(\.messageID) == ["msg-case-1"])
    }

    @Test(arguments: TestEngine.allCases) func aFailedTransactionLeavesNothing(engine: TestEngine) async throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let record = caseRecord()
        await #expect(throws: RefGateError.self) {
            try await store.write { tx in
                try tx.insert(record)
                throw RefGateError(.invalidInput, "boom")
            }
        }
        #expect(try await store.read { try $0.case("case-1") } == nil)
    }

    @Test(arguments: TestEngine.allCases) func outboxOrdersByDueTimeAndSkipsDeliveredAndParked(engine: TestEngine)
        async throws
    {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        try await store.write { [self] tx in
            for (index, id) in ["a", "b", "c", "d"].enumerated() {
                try tx.insert(caseRecord(id))
                try tx.insert(message("m-\(id)", caseID: id))
                try tx.enqueue(
                    messageID: "m-\(id)", peer: salford, caseID: id,
                    notBefore: now.addingTimeInterval(Double(10 - index)),
                    expiresAt: now.addingTimeInterval(86_400))
            }
            try tx.markDelivered(ReceiptRecord(messageID: "m-a", receiptID: "r", jws: "x.y.z", receivedAt: now))
            try tx.markParked(messageID: "m-b", error: "HTTP 400", problem: nil)
            try tx.markRetry(
                messageID: "m-c", error: "connect-refused", problem: nil, retryAt: now.addingTimeInterval(100))
        }
        let due = try await store.read { [now] in try $0.dueOutbox(now: now.addingTimeInterval(50), limit: 10) }
        #expect(due.map(\.messageID) == ["m-d"])
        let next = try await store.read { try $0.nextOutboxWake() }
        #expect(next == now.addingTimeInterval(7))
        let retried = try #require(try await store.read { try $0.outboxEntry(messageID: "m-c") })
        #expect(retried.attempts == 1 && retried.lastError == "connect-refused" && retried.state == .pending)
        let counts = try await store.read { try $0.outboxCounts() }
        #expect(counts == [.pending: 2, .delivered: 1, .parked: 1])
    }

    @Test func dataSurvivesReopening() async throws {
        let folder = try TemporaryFolder()
        do {
            let store = try Store(path: folder.file("db.sqlite"))
            try await store.write { [self] tx in
                try tx.insert(caseRecord())
                try tx.insertDirectory(version: 4, digest: "d", at: now)
            }
        }
        let reopened = try Store(path: folder.file("db.sqlite"))
        #expect(try await reopened.read { try $0.case("case-1") } != nil)
        #expect(try await reopened.read { try $0.highestDirectoryVersion() } == 4)
    }

    @Test func anUnreadableDatabaseIsAClearError() throws {
        let folder = try TemporaryFolder()
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: folder.file("bad.sqlite")))
        let error = #expect(throws: RefGateError.self) { try Store(path: folder.file("bad.sqlite")) }
        #expect(error?.code == .configurationInvalid)
    }
}
