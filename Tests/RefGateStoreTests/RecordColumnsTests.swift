import Foundation
import GRDB
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateStore

/// Each record's columns are listed once, in its `encode(to:)` beside its `init(row:)`: a new
/// column is a migration and that list. These tests fail when a table and its list part ways.
@Suite(.timeLimit(.minutes(1))) struct RecordColumnsTests {
    /// Columns the store keeps itself, which no record writes.
    static let storeKept: [String: Set<String>] = [
        // The deadline index (set at commit), the retention mark, the agency (set beside the
        // case by the request's transaction, from the agency's own record), and when its request
        // and response were signed with the working time between (set as the messages are stored).
        "cases": [
            "next_due", "purged_at", "agency", "waiting_due", "requested_at", "answered_at", "answer_working_seconds",
        ],
        // The provider subject a user is bound to (set by sign-in and the administrator only).
        "users": ["oidc_subject", "channels", "phone"],
        // An instance's claim on what it sends (several instances on one PostgreSQL).
        "outbox": ["claimed_until"],
        "notifications": ["claimed_until"],
    ]

    static func columns(_ record: some EncodableRecord) -> Set<String> {
        Set(((try? record.databaseDictionary) ?? [:]).keys)
    }

    @Test(arguments: TestEngine.allCases) func everyTableColumnIsInItsRecordsList(engine: TestEngine) async throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let now = Date(epochMilliseconds: 1_795_000_000_000)
        let peer = AuthorityID(rawValue: "E08000006")!
        let records: [(String, Set<String>)] = [
            (
                CaseRecord.databaseTableName,
                Self.columns(
                    CaseRecord(
                        id: "c", side: .requester, peer: peer, status: .awaitingResponse, candidateName: "A",
                        candidateRole: .teamManager, respondBy: now, requestMessageID: "m", createdAt: now,
                        updatedAt: now))
            ),
            (
                MessageRecord.databaseTableName,
                Self.columns(
                    MessageRecord(
                        id: "m", caseID: "c", direction: .outgoing, kind: .verificationRequest, from: peer, to: peer,
                        sentAt: now, recordedAt: now, jws: "a.b.c", digest: "d"))
            ),
            (
                ReceiptRecord.databaseTableName,
                Self.columns(ReceiptRecord(messageID: "m", receiptID: "r", jws: "a.b.c", receivedAt: now))
            ),
            (
                EscalationRecord.databaseTableName,
                Self.columns(
                    EscalationRecord(
                        id: "e", caseID: "c", level: 1, reason: .responseOverdue, role: .serviceManager,
                        raisedBy: Person(name: "n", role: "r"), note: nil, raisedAt: now, dueAt: now,
                        noticeMessageID: "m"))
            ),
            (
                NotificationRecord.databaseTableName,
                Self.columns(
                    NotificationRecord(
                        id: "n", caseID: nil, channel: .email, target: "t", event: "e", subject: "s", body: "b",
                        createdAt: now))
            ),
            (
                OutboxEntry.databaseTableName,
                Self.columns(
                    OutboxEntry(
                        messageID: "m", peer: peer, caseID: nil, state: .pending, attempts: 0, createdAt: now,
                        nextAttemptAt: now, expiresAt: now))
            ),
            (
                UserRecord.databaseTableName,
                Self.columns(UserRecord(id: "u", name: "n", email: "e", role: .admin, createdAt: now))
            ),
        ]
        for (table, listed) in records {
            let inTable = try await store.read { reader in Set(try reader.db.columnNames(in: table)) }
            // On PostgreSQL, tables the store orders by insertion have the identity column `rowid`
            // (SQLite's own rowid is not a column).
            let kept = (Self.storeKept[table] ?? []).union(
                engine == .postgres && ["messages", "outbox", "notifications"].contains(table) ? ["rowid"] : [])
            #expect(kept.isSubset(of: inTable), "\(table): store-kept columns exist")
            #expect(listed.subtracting(inTable).isEmpty, "\(table): listed but not in the table")
            #expect(inTable.subtracting(listed).subtracting(kept).isEmpty, "\(table): in the table but not listed")
        }
    }
}
