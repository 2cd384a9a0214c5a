import GRDB

extension Store {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cases-messages-outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cases (
                        id TEXT PRIMARY KEY NOT NULL,
                        side TEXT NOT NULL CHECK (side IN ('requester', 'responder')),
                        peer TEXT NOT NULL,
                        status TEXT NOT NULL,
                        candidate_name TEXT NOT NULL,
                        candidate_role TEXT NOT NULL,
                        respond_by REAL NOT NULL,
                        request_message_id TEXT NOT NULL,
                        response_message_id TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX cases_by_status ON cases(status, respond_by);

                    -- jws holds the exact bytes sent or received: the evidence.
                    CREATE TABLE messages (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT REFERENCES cases(id),
                        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                        kind TEXT NOT NULL,
                        from_authority TEXT NOT NULL,
                        to_authority TEXT NOT NULL,
                        sent_at REAL NOT NULL,
                        recorded_at REAL NOT NULL,
                        jws BLOB NOT NULL,
                        digest TEXT NOT NULL
                    );
                    CREATE INDEX messages_by_case ON messages(case_id, recorded_at);

                    -- For an incoming message: the receipt this node issued.
                    -- For an outgoing message: the receipt the peer returned.
                    CREATE TABLE receipts (
                        message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages(id),
                        receipt_id TEXT NOT NULL,
                        jws BLOB NOT NULL,
                        received_at REAL NOT NULL
                    );

                    CREATE TABLE outbox (
                        message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages(id),
                        peer TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'rejected')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL NOT NULL,
                        last_error TEXT,
                        delivered_at REAL
                    );
                    CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
                    """)
        }
        migrator.registerMigration("v2-directory-versions") { db in
            // The highest directory version ever installed, so a restart cannot roll back.
            try db.execute(
                sql: """
                    CREATE TABLE directory_versions (
                        version INTEGER PRIMARY KEY NOT NULL,
                        digest TEXT NOT NULL,
                        installed_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3-notifications") { db in
            // Mail and webhooks to people, written with the state change that causes them and
            // sent after commit by the notification deliverer.
            try db.execute(
                sql: """
                    CREATE TABLE notifications (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT REFERENCES cases(id),
                        channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
                        target TEXT NOT NULL,
                        event TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        body TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'rejected')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL NOT NULL,
                        last_error TEXT,
                        created_at REAL NOT NULL,
                        delivered_at REAL
                    );
                    CREATE INDEX notifications_due ON notifications(next_attempt_at) WHERE state = 'pending';
                    """)
        }
        migrator.registerMigration("v4-candidates") { db in
            // Paras 7-9: cases grouped by candidate (registration number) and the safer-recruitment checklist.
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN candidate_registration TEXT;
                    CREATE INDEX cases_by_candidate ON cases(candidate_registration, side);
                    CREATE TABLE candidate_checklists (
                        registration TEXT PRIMARY KEY NOT NULL,
                        dbs_reviewed INTEGER NOT NULL,
                        permanent_employer_references INTEGER NOT NULL,
                        employment_gaps_challenged INTEGER NOT NULL,
                        recorded_by TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v5-escalations") { db in
            // The ladder (paras 10-14), held by both authorities under the same escalation id.
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE escalations (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT NOT NULL REFERENCES cases(id),
                        level INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        role TEXT NOT NULL,
                        raised_by_name TEXT NOT NULL,
                        raised_by_role TEXT NOT NULL,
                        note TEXT,
                        raised_at REAL NOT NULL,
                        due_at REAL NOT NULL,
                        notice_message_id TEXT NOT NULL,
                        acknowledged_at REAL,
                        acknowledged_by_name TEXT,
                        acknowledged_by_role TEXT,
                        closed_at REAL
                    );
                    CREATE INDEX escalations_by_case ON escalations(case_id, level);
                    """)
        }
        migrator.registerMigration("v6-deadlines") { db in
            // The scheduler's index: each case's earliest pending deadline or reminder.
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN next_due REAL;
                    CREATE INDEX cases_next_due ON cases(next_due) WHERE next_due IS NOT NULL;
                    ALTER TABLE escalations ADD COLUMN next_reminder_at REAL;
                    UPDATE cases SET next_due = respond_by
                        WHERE side = 'requester' AND status = 'awaiting-response' AND escalation_level = 0;
                    """)
        }
        return migrator
    }
}
