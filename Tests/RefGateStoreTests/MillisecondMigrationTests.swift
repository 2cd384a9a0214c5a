import Foundation
import GRDB
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateStore

/// Migration v7 turns every REAL-seconds instant of an existing database into INTEGER
/// milliseconds, keeping every row and index.
@Suite(.timeLimit(.minutes(2))) struct MillisecondMigrationTests {
    @Test func aVersion6DatabaseMovesToIntegerMilliseconds() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("v6.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try Store.migrator.migrate(queue, upTo: "v6-deadlines")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO cases (id, side, peer, status, candidate_name, candidate_role, respond_by,
                            request_message_id, created_at, updated_at, candidate_registration, escalation_level, next_due)
                        VALUES ('case-1', 'requester', 'E08000006', 'awaiting-response', 'Alex Morgan', 'team-manager',
                            1795172800.1234567, 'msg-1', 1795000000.5, 1795000000.5, 'SW104522', 1, 1795172800.1234567);
                        INSERT INTO messages (id, case_id, direction, kind, from_authority, to_authority, sent_at,
                            recorded_at, jws, digest)
                        VALUES ('msg-1', 'case-1', 'out', 'verification-request', 'E08000003', 'E08000006',
                            1795000000.0004, 1795000000.9996, X'41', 'd');
                        INSERT INTO receipts (message_id, receipt_id, jws, received_at)
                            VALUES ('msg-1', 'r-1', X'42', 1795000001.25);
                        INSERT INTO outbox (message_id, peer, state, attempts, next_attempt_at, delivered_at)
                            VALUES ('msg-1', 'E08000006', 'delivered', 1, 1795000000.5, 1795000001.25);
                        INSERT INTO directory_versions (version, digest, installed_at) VALUES (3, 'x', 1795000000);
                        INSERT INTO notifications (id, case_id, channel, target, event, subject, body, state,
                            next_attempt_at, created_at)
                        VALUES ('n-1', 'case-1', 'email', 'a@example.org', 'e', 's', 'b', 'pending', 1795000002.002,
                            1795000000.5);
                        INSERT INTO candidate_checklists VALUES ('SW104522', 1, 1, 0, 'Jordan', 1795000003.5);
                        INSERT INTO escalations (id, case_id, level, reason, role, raised_by_name, raised_by_role,
                            raised_at, due_at, notice_message_id, acknowledged_at, next_reminder_at)
                        VALUES ('esc-1', 'case-1', 1, 'response-overdue', 'service-manager', 'refgate', 'system',
                            1795172801.5, 1795345601.5, 'msg-1', NULL, 1795186001.5);
                        """)
            }
        }

        let store = try Store(path: path)
        let migrated = try #require(try await store.read { try $0.case("case-1") })
        #expect(migrated.respondBy == Date(epochMilliseconds: 1_795_172_800_123))
        #expect(migrated.createdAt == Date(epochMilliseconds: 1_795_000_000_500))
        #expect(migrated.candidateRegistration == "SW104522" && migrated.escalationLevel == 1)
        #expect(try await store.read { try $0.nextDue(caseID: "case-1") } == Date(epochMilliseconds: 1_795_172_800_123))
        let message = try #require(try await store.read { try $0.message("msg-1") })
        #expect(message.sentAt.epochMilliseconds == 1_795_000_000_000)
        #expect(message.recordedAt.epochMilliseconds == 1_795_000_001_000)
        #expect(
            try await store.read { try $0.receipt(messageID: "msg-1") }?.receivedAt.epochMilliseconds
                == 1_795_000_001_250)
        #expect(
            try await store.read { try $0.outboxEntry(messageID: "msg-1") }?.deliveredAt?.epochMilliseconds
                == 1_795_000_001_250)
        let escalation = try #require(try await store.read { try $0.escalation("esc-1") })
        #expect(escalation.dueAt.epochMilliseconds == 1_795_345_601_500)
        #expect(escalation.nextReminderAt?.epochMilliseconds == 1_795_186_001_500 && escalation.acknowledgedAt == nil)

        // Every instant column now holds integers, and the indexes are back.
        let check = try DatabaseQueue(path: path)
        try await check.read { db in
            for (table, column) in [
                ("cases", "respond_by"), ("cases", "next_due"), ("messages", "sent_at"), ("receipts", "received_at"),
                ("outbox", "next_attempt_at"), ("directory_versions", "installed_at"),
                ("notifications", "created_at"), ("candidate_checklists", "updated_at"), ("escalations", "due_at"),
            ] {
                let type = try String.fetchOne(db, sql: "SELECT typeof(\(column)) FROM \(table)")
                #expect(type == "integer", "\(table).\(column)")
            }
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            #expect(
                indexes == [
                    "agency_concerns_by_agency", "appointments_by_candidate", "audit_by_case", "case_decisions_by_case",
                    "cases_answer_time_missing", "cases_answer_times", "cases_by_agency", "cases_by_candidate",
                    "cases_by_created", "cases_by_peer", "cases_by_registration", "cases_by_requested",
                    "cases_by_status", "cases_by_status_created", "cases_next_due", "cases_waiting",
                    "cases_waiting_by_peer", "credentials_by_user",
                    "escalations_by_case",
                    "messages_by_case",
                    "notifications_due", "offline_verifications_by_candidate", "outbox_by_peer", "outbox_due",
                    "outbox_expiry", "outbox_open_by_case", "regional_figures_latest",
                    "users_by_email", "users_by_oidc_subject", "users_live_email",
                ])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
        }
    }
}

/// Migration v9: a notification refused for good is parked (visible to operators), not dropped.
@Suite(.timeLimit(.minutes(2))) struct NotificationParkingMigrationTests {
    @Test func aRejectedNotificationBecomesParked() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("v8.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try Store.migrator.migrate(queue, upTo: "v8-delivery")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO notifications (id, channel, target, event, subject, body, state, attempts,
                            next_attempt_at, last_error, created_at)
                        VALUES ('n-1', 'email', 'a@example.org', 'e', 's', 'b', 'rejected', 1, 1, 'SMTP 550', 1)
                        """)
            }
        }
        let store = try Store(path: path)
        let stored = try #require(try await store.read { try $0.notifications() }.first)
        #expect(stored.state == .parked && stored.lastError == "SMTP 550")
        try await store.write { tx in
            try tx.enqueue(
                NotificationRecord(
                    caseID: nil, channel: .webhook, target: "https://hooks.example", event: "e", subject: "s",
                    body: "b",
                    createdAt: Date(epochMilliseconds: 2)))
        }
        let pending = try #require(try await store.read { try $0.notifications() }.last)
        try await store.write { tx in try tx.markParked(.notifications, id: pending.id, error: "HTTP 404") }
        #expect(try await store.read { try $0.notifications() }.last?.state == .parked)
    }
}
