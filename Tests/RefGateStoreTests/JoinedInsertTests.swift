import Foundation
import GRDB
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateStore

/// On PostgreSQL, plain inserts into different tables go to the server as one statement. What
/// is stored, its order and a refusal's effect must be what separate inserts give.
@Suite(.timeLimit(.minutes(2))) struct JoinedInsertTests {
    let now = Date(epochMilliseconds: 1_795_000_000_000)
    let salford = AuthorityID(rawValue: "E08000006")!
    let manchester = AuthorityID(rawValue: "E08000003")!

    /// Inserts a case with its messages, queued, as sending a request does (the case holds its
    /// request's time, so nothing updates it between the inserts).
    func insertCase(_ id: String, messages: [String], tx: StoreTransaction) throws {
        var record = CaseRecord(
            id: id, side: .requester, peer: salford, status: .awaitingResponse, candidateName: "A",
            candidateRole: .teamManager, respondBy: now.addingTimeInterval(172_800),
            requestMessageID: messages[0], createdAt: now, updatedAt: now)
        record.requestedAt = now
        try tx.insert(record)
        for message in messages {
            try tx.insert(
                MessageRecord(
                    id: message, caseID: id, direction: .outgoing,
                    kind: message == messages[0] ? .verificationRequest : .escalationNotice, from: manchester,
                    to: salford, sentAt: now, recordedAt: now, jws: "h.p.s", digest: "d-\(message)"))
            try tx.enqueue(
                messageID: message, peer: salford, caseID: id, notBefore: now,
                expiresAt: now.addingTimeInterval(86_400))
        }
    }

    @Test func onlyPlainInsertsAreJoined() {
        #expect(PostgresSession.joinableTable("INSERT INTO cases (a, b)\nVALUES (?, ?)") == "cases")
        #expect(PostgresSession.joinableTable("INSERT INTO receipts(a) VALUES (?), (?)") == "receipts")
        #expect(
            PostgresSession.joinableTable("INSERT INTO peer_delivery (peer) VALUES (?) ON CONFLICT(peer) DO NOTHING")
                == nil)
        #expect(PostgresSession.joinableTable("INSERT INTO t (a) SELECT a FROM u") == nil)
        #expect(PostgresSession.joinableTable("INSERT INTO t (a) VALUES (?) RETURNING 1") == nil)
        #expect(PostgresSession.joinableTable("UPDATE t SET a = ?") == nil)
    }

    /// A case's request and its notice written in one write: the notice still waits for the
    /// request (two inserts into one table are never joined, so their order holds).
    @Test(arguments: TestEngine.allCases) func messagesOfACaseWrittenTogetherKeepTheirOrder(engine: TestEngine)
        async throws
    {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        try await store.write { tx in try self.insertCase("c1", messages: ["request", "notice"], tx: tx) }
        #expect(try await store.read { try $0.dueOutbox(now: self.now, limit: 10) }.map(\.messageID) == ["request"])
        try await store.write { [now] tx in
            try tx.markDelivered(ReceiptRecord(messageID: "request", receiptID: "r", jws: "x.y.z", receivedAt: now))
        }
        #expect(try await store.read { try $0.dueOutbox(now: self.now, limit: 10) }.map(\.messageID) == ["notice"])
    }

    /// An insert refused among joined ones (a message of a case that does not exist) fails its
    /// write, and nothing of the write stays: not the case inserted before it, not its audit.
    @Test(arguments: TestEngine.allCases) func aRefusedInsertAmongJoinedOnesLeavesNothingOfItsWrite(
        engine: TestEngine
    ) async throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        try await store.write { tx in try self.insertCase("kept", messages: ["m0"], tx: tx) }
        let auditBefore = try await store.read { try $0.auditRows() }.count
        await #expect(throws: (any Error).self) {
            try await store.write { tx in
                // Joined: the case, then a message of another case, which does not exist.
                var record = CaseRecord(
                    id: "refused", side: .requester, peer: self.salford, status: .awaitingResponse,
                    candidateName: "A", candidateRole: .teamManager, respondBy: self.now,
                    requestMessageID: "m1", createdAt: self.now, updatedAt: self.now)
                record.requestedAt = self.now
                try tx.insert(record)
                try tx.insert(
                    MessageRecord(
                        id: "orphan", caseID: "no-such-case", direction: .outgoing, kind: .verificationRequest,
                        from: self.manchester, to: self.salford, sentAt: self.now, recordedAt: self.now,
                        jws: "h.p.s", digest: "d"))
            }
        }
        #expect(try await store.read { try $0.cases(limit: 10) }.map(\.id) == ["kept"])
        #expect(try await store.read { try $0.auditRows() }.count == auditBefore)
    }

    /// The inserts of a write do go as one statement: the write's connection prepared it (the
    /// query that looks sends the held inserts first).
    @Test func insertsIntoDifferentTablesGoAsOneStatement() async throws {
        let (server, database) = try TestPostgres.database()
        let settings = PostgresSettings(
            host: server.host, port: server.port, user: server.user, database: database, tls: .init(mode: "disable"))
        let store = try Store(postgres: settings)
        let joined = try await store.write { tx in
            try self.insertCase("c1", messages: ["m1"], tx: tx)
            return try tx.reader.db.rows(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'WITH i0 AS (INSERT INTO %'", []
            ).map { $0["statement"] as String }
        }
        #expect(
            joined.contains {
                $0.contains("INSERT INTO cases") && $0.contains("INSERT INTO messages")
                    && $0.contains("INSERT INTO outbox")
            }, "\(joined)")
        #expect(try await store.read { try $0.outboxEntry(messageID: "m1") }?.caseID == "c1")
    }
}
