import Foundation
import GRDB
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateStore

/// The store's statements on PostgreSQL are prepared once per connection; a write does no
/// statement it can do without. Neither may change what is stored.
@Suite(.timeLimit(.minutes(2))) struct PreparedStatementTests {
    let now = Date(epochMilliseconds: 1_795_000_000_000)
    let salford = AuthorityID(rawValue: "E08000006")!

    func record(_ id: String, respondBy: Date) -> CaseRecord {
        CaseRecord(
            id: id, side: .requester, peer: salford, status: .awaitingResponse, candidateName: "A",
            candidateRole: .teamManager, respondBy: respondBy, requestMessageID: "m-\(id)", createdAt: now,
            updatedAt: now)
    }

    /// A new store on the test server, with the server and database behind it.
    func postgresStore() throws -> (Store, TestPostgres.Server, String) {
        let (server, database) = try TestPostgres.database()
        let settings = PostgresSettings(
            host: server.host, port: server.port, user: server.user, database: database, tls: .init(mode: "disable"))
        return (try Store(postgres: settings), server, database)
    }

    @Test func eachParameterIsCastToTheTypeOfItsValue() {
        let arguments: SQLArguments = [1, "a", 2.5, Data([1]), nil, 3, 4, 5, 6, 7, 8]
        #expect(
            PreparedStatements.typed(
                "SELECT $1, '$2 stays', $2, $3, $4, $5, $11 FROM t WHERE a = $10 AND b IN ($6,$7)", arguments)
                == "SELECT $1::int8, '$2 stays', $2::text, $3::float8, $4::bytea, $5, $11::int8 FROM t"
                + " WHERE a = $10::int8 AND b IN ($6::int8,$7::int8)")
        // The same SQL with other types bound is another statement; a NULL is one type of its own.
        #expect(PreparedStatements.key("x", [1]) != PreparedStatements.key("x", ["1"]))
        #expect(PreparedStatements.key("x", [1]) != PreparedStatements.key("x", [nil]))
        #expect(PreparedStatements.key("x", [1]) == PreparedStatements.key("x", [2]))
    }

    @Test func aStatementIsPreparedOncePerConnection() async throws {
        let (store, _, _) = try postgresStore()
        try await store.write { try $0.insert(self.record("case-1", respondBy: self.now)) }
        for _ in 0..<20 { _ = try await store.read { try $0.case("case-1") } }
        // Reads share the pool's connections; the one this snapshot has read the case before
        // or not, and holds its statement at most once.
        let prepared = try await store.read { reader in
            try reader.db.rows("SELECT statement FROM pg_prepared_statements", [])
                .map { $0["statement"] as String }
        }
        #expect(prepared.filter { $0 == "SELECT * FROM cases WHERE id = $1::text" }.count <= 1)
        #expect(!prepared.isEmpty)
    }

    /// Behind a pooler that shares server connections between clients, nothing is prepared.
    @Test func withPreparedStatementsOffNothingIsPrepared() async throws {
        let (server, database) = try TestPostgres.database()
        var settings = PostgresSettings(
            host: server.host, port: server.port, user: server.user, database: database, tls: .init(mode: "disable"))
        settings.preparedStatements = false
        let store = try Store(postgres: settings)
        try await store.write { try $0.insert(self.record("case-1", respondBy: self.now)) }
        #expect(try await store.read { try $0.case("case-1") }?.id == "case-1")
        let prepared = try await store.read { reader in
            try reader.db.rows("SELECT count(*) AS n FROM pg_prepared_statements", []).first?["n"] as Int?
        }
        #expect(prepared == 0)
    }

    /// Another instance of a later release may change a table under this one's prepared
    /// statements; PostgreSQL then refuses them once ("cached plan must not change result
    /// type"), and the store prepares them again on a new connection.
    @Test func aTableChangedUnderAPreparedStatementIsReadAgain() async throws {
        let (store, server, database) = try postgresStore()
        try await store.write { try $0.insert(self.record("case-1", respondBy: self.now)) }
        for _ in 0..<10 { _ = try await store.read { try $0.case("case-1") } }
        try TestPostgres.psql(server, "ALTER TABLE cases ADD COLUMN added_later TEXT", database: database)
        for _ in 0..<10 { #expect(try await store.read { try $0.case("case-1") }?.id == "case-1") }
        try await store.write { tx in
            #expect(try tx.reader.case("case-1") != nil)
            try tx.insert(self.record("case-2", respondBy: self.now))
        }
        #expect(try await store.read { try $0.cases(limit: 10) }.count == 2)
    }

    /// The same when the refused statement is in one of many writes grouped into a transaction:
    /// its savepoint rolls back, the write runs again in a later transaction, and no write fails.
    @Test func aTableChangedUnderGroupedWritesFailsNoneOfThem() async throws {
        let (store, server, database) = try postgresStore()
        try await store.write { try $0.insert(self.record("case-0", respondBy: self.now)) }
        func writeMany(_ round: Int) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await store.write { tx in
                            #expect(try tx.reader.case("case-0") != nil)
                            try tx.insert(self.record("case-\(round)-\(index)", respondBy: self.now))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await writeMany(1)
        try TestPostgres.psql(server, "ALTER TABLE cases ADD COLUMN added_later TEXT", database: database)
        try await writeMany(2)
        #expect(try await store.read { try $0.cases(limit: 100) }.count == 81)
    }

    /// A claim binds the state it looks for. With `'pending'` written into its SQL, PostgreSQL
    /// planned the prepared claim once, on a young table, with the partial index of pending
    /// entries (its predicate matched, and the costs tied with the key's index), and each claim
    /// then read every pending entry. A bound state leaves the key's index the only fit.
    @Test(arguments: [DeliveryQueue.outbox, .notifications]) func aClaimFindsItsEntriesByTheirKeys(
        queue: DeliveryQueue
    ) throws {
        let (_, server, database) = try postgresStore()
        let sql = PostgresDialect.translate(StoreTransaction.claimSQL(queue, keys: "?, ?"))
        let plan = try TestPostgres.psql(
            server,
            """
            SET plan_cache_mode = force_generic_plan;
            PREPARE claim(int8, text, text, text, int8) AS \(sql);
            EXPLAIN EXECUTE claim(1, 'a', 'b', 'pending', 0);
            """, database: database)
        let indexes = plan.split(separator: "\n").filter { $0.contains("Index Scan") }
        #expect(!indexes.isEmpty && indexes.allSatisfy { $0.contains(" on \(queue.table)_pkey") }, "\(plan)")
    }

    /// A case keeps the deadline it was inserted with unless the same write changed it, in
    /// which case it is worked out again at the end of the write.
    @Test(arguments: TestEngine.allCases) func aCaseChangedInTheWriteThatInsertedItGetsItsDeadlineAgain(
        engine: TestEngine
    ) async throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let due = now.addingTimeInterval(86_400)
        try await store.write { try $0.insert(self.record("alone", respondBy: due)) }
        try await store.write { tx in
            try tx.insert(self.record("answered", respondBy: due))
            try tx.apply(
                CaseTransition(
                    caseID: "answered", cause: .response(messageID: "r"), status: .verified,
                    escalationLevel: 0, closing: .all),
                at: self.now)
        }
        #expect(try await store.read { try $0.nextDue(caseID: "alone") } == due)
        #expect(try await store.read { try $0.nextDue(caseID: "answered") } == nil)
    }

    /// A write that is alone in its transaction has no savepoint: when it fails, the
    /// transaction rolls back, and nothing of it stays, its audit entries included.
    @Test(arguments: TestEngine.allCases) func aLoneWriteThatFailsLeavesNothing(engine: TestEngine) async throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        await #expect(throws: RefGateError.self) {
            try await store.write { tx in
                try tx.insert(self.record("refused", respondBy: self.now))
                throw RefGateError(.invalidInput, "refused")
            }
        }
        try await store.write { try $0.insert(self.record("kept", respondBy: self.now)) }
        #expect(try await store.read { try $0.cases(limit: 10) }.map(\.id) == ["kept"])
        let rows = try await store.read { try $0.auditRows() }
        #expect(rows.count == 1)
        #expect(rows.first.map { String(decoding: $0.entry, as: UTF8.self).contains("kept") } == true)
    }
}
