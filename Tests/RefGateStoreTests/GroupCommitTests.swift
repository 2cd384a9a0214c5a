import Foundation
import RefGateCore
import RefGateTestSupport
import RefGateTrust
import Testing

@testable import RefGateStore

/// Concurrent writes share transactions, but each keeps its own all-or-nothing outcome.
@Suite(.timeLimit(.minutes(2))) struct GroupCommitTests {
    let now = Date(epochMilliseconds: 1_795_000_000_000)
    let salford = AuthorityID(rawValue: "E08000006")!

    func record(_ id: String) -> CaseRecord {
        CaseRecord(
            id: id, side: .requester, peer: salford, status: .awaitingResponse, candidateName: "A",
            candidateRole: .teamManager, respondBy: now, requestMessageID: "m-\(id)", createdAt: now, updatedAt: now)
    }

    @Test(arguments: TestEngine.allCases) func aFailingWriteRollsBackAloneWhileItsGroupCommits(engine: TestEngine)
        async throws
    {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<300 {
                group.addTask { [self] in
                    do {
                        try await store.write { tx in
                            try tx.insert(self.record("case-\(index)"))
                            // Every seventh write fails after writing: none of it may remain.
                            if index % 7 == 0 { throw RefGateError(.invalidInput, "refused \(index)") }
                            // The same case twice in one group: the second is a conflict, alone.
                            if index % 50 == 1 { try tx.insert(self.record("case-\(index)")) }
                        }
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        let stored = Set(try await store.read { try $0.cases(limit: 1_000) }.map(\.id))
        for index in 0..<300 {
            let shouldCommit = index % 7 != 0 && index % 50 != 1
            #expect(outcomes[index] == shouldCommit, "write \(index)")
            #expect(stored.contains("case-\(index)") == shouldCommit, "case \(index)")
        }
    }

    /// The writer remembers the audit chain's tip within a transaction; every rollback (a
    /// write's savepoint, a savepoint inside a write, a whole transaction) and every write by
    /// another connection must leave the chain contiguous and linked. On PostgreSQL the
    /// entries wait for commit and several writer lanes append at once.
    @Test(arguments: TestEngine.allCases) func theAuditChainStaysLinkedThroughRollbacksAndOtherWriters(
        engine: TestEngine
    ) async throws {
        let folder = try TemporaryFolder()
        let location = try engine.location(in: folder)
        let store = try Store(location)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { [self] in
                    try? await store.write { tx in
                        try tx.insert(self.record("case-\(index)"))
                        // A savepoint inside the write that rolls back after appending.
                        if index % 5 == 0 {
                            _ = try? tx.savepoint { () throws -> Void in
                                try tx.appendAudit(AuditEvent(.caseStatus, caseID: "case-\(index)"), at: self.now)
                                throw RefGateError(.invalidInput, "inner \(index)")
                            }
                        }
                        if index % 7 == 0 { throw RefGateError(.invalidInput, "refused \(index)") }
                        try tx.appendAudit(AuditEvent(.caseStatus, caseID: "case-\(index)"), at: self.now)
                    }
                }
            }
            try await group.waitForAll()
        }
        // A whole transaction that fails after appending, then another connection appends.
        #expect(throws: RefGateError.self) {
            try store.writeSync { tx in
                try tx.appendAudit(AuditEvent(.caseStatus, caseID: nil), at: now)
                throw RefGateError(.invalidInput, "whole")
            }
        }
        let other = try Store(location)
        try await other.write { tx in try tx.appendAudit(AuditEvent(.caseStatus, caseID: nil), at: self.now) }
        try await store.write { tx in try tx.appendAudit(AuditEvent(.caseStatus, caseID: nil), at: self.now) }

        let rows = try await store.read { try $0.auditRows() }
        #expect(rows.count == 2 + 171 * 2)
        var previous = ""
        for (index, row) in rows.enumerated() {
            let entry = try #require(try JSONSerialization.jsonObject(with: row.entry) as? [String: Any])
            #expect(row.seq == index && entry["seq"] as? Int == index)
            #expect(entry["prev"] as? String == previous, "entry \(index) links to the one before")
            #expect(row.leafHash == MerkleTree.leafHash(row.entry))
            previous = row.leafHash.hexEncoded
        }
    }

    @Test(arguments: TestEngine.allCases) func writesInOneGroupSeeEachOther(engine: TestEngine) async throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { [self] in
                    try await store.write { tx in
                        // Insert-if-absent: exactly one writer finds the case missing.
                        guard try tx.reader.case("shared") == nil else { return false }
                        try tx.insert(self.record("shared"))
                        return true
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
    }
}
