import GRDB

extension Store {
    /// Every migration's name, in order: the last is this release's schema.
    public static var migrations: [String] { migrator.migrations }

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
        migrator.registerMigration("v7-instants-in-milliseconds") { db in
            // Every instant becomes INTEGER milliseconds since the Unix epoch (was REAL seconds),
            // so a value read back is exactly the value written and both authorities hold the
            // same deadline. SQLite cannot change a column's type, and REAL affinity would turn
            // integers back into floats, so each table is rebuilt (GRDB defers foreign key
            // checks to the end of the migration).
            try db.execute(
                sql: """
                    CREATE TABLE new_cases (
                        id TEXT PRIMARY KEY NOT NULL,
                        side TEXT NOT NULL CHECK (side IN ('requester', 'responder')),
                        peer TEXT NOT NULL,
                        status TEXT NOT NULL,
                        candidate_name TEXT NOT NULL,
                        candidate_role TEXT NOT NULL,
                        respond_by INTEGER NOT NULL,
                        request_message_id TEXT NOT NULL,
                        response_message_id TEXT,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        candidate_registration TEXT,
                        escalation_level INTEGER NOT NULL DEFAULT 0,
                        next_due INTEGER
                    );
                    INSERT INTO new_cases SELECT id, side, peer, status, candidate_name, candidate_role,
                        CAST(ROUND(respond_by * 1000) AS INTEGER), request_message_id, response_message_id,
                        CAST(ROUND(created_at * 1000) AS INTEGER), CAST(ROUND(updated_at * 1000) AS INTEGER),
                        candidate_registration, escalation_level, CAST(ROUND(next_due * 1000) AS INTEGER)
                        FROM cases;
                    DROP TABLE cases;
                    ALTER TABLE new_cases RENAME TO cases;
                    CREATE INDEX cases_by_status ON cases(status, respond_by);
                    CREATE INDEX cases_by_candidate ON cases(candidate_registration, side);
                    CREATE INDEX cases_next_due ON cases(next_due) WHERE next_due IS NOT NULL;

                    CREATE TABLE new_messages (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT REFERENCES cases(id),
                        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                        kind TEXT NOT NULL,
                        from_authority TEXT NOT NULL,
                        to_authority TEXT NOT NULL,
                        sent_at INTEGER NOT NULL,
                        recorded_at INTEGER NOT NULL,
                        jws BLOB NOT NULL,
                        digest TEXT NOT NULL
                    );
                    INSERT INTO new_messages SELECT id, case_id, direction, kind, from_authority, to_authority,
                        CAST(ROUND(sent_at * 1000) AS INTEGER), CAST(ROUND(recorded_at * 1000) AS INTEGER), jws, digest
                        FROM messages;
                    DROP TABLE messages;
                    ALTER TABLE new_messages RENAME TO messages;
                    CREATE INDEX messages_by_case ON messages(case_id, recorded_at);

                    CREATE TABLE new_receipts (
                        message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages(id),
                        receipt_id TEXT NOT NULL,
                        jws BLOB NOT NULL,
                        received_at INTEGER NOT NULL
                    );
                    INSERT INTO new_receipts SELECT message_id, receipt_id, jws,
                        CAST(ROUND(received_at * 1000) AS INTEGER) FROM receipts;
                    DROP TABLE receipts;
                    ALTER TABLE new_receipts RENAME TO receipts;

                    CREATE TABLE new_outbox (
                        message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages(id),
                        peer TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'rejected')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_error TEXT,
                        delivered_at INTEGER
                    );
                    INSERT INTO new_outbox SELECT message_id, peer, state, attempts,
                        CAST(ROUND(next_attempt_at * 1000) AS INTEGER), last_error,
                        CAST(ROUND(delivered_at * 1000) AS INTEGER) FROM outbox;
                    DROP TABLE outbox;
                    ALTER TABLE new_outbox RENAME TO outbox;
                    CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';

                    CREATE TABLE new_directory_versions (
                        version INTEGER PRIMARY KEY NOT NULL,
                        digest TEXT NOT NULL,
                        installed_at INTEGER NOT NULL
                    );
                    INSERT INTO new_directory_versions SELECT version, digest,
                        CAST(ROUND(installed_at * 1000) AS INTEGER) FROM directory_versions;
                    DROP TABLE directory_versions;
                    ALTER TABLE new_directory_versions RENAME TO directory_versions;

                    CREATE TABLE new_notifications (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT REFERENCES cases(id),
                        channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
                        target TEXT NOT NULL,
                        event TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        body TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'rejected')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_error TEXT,
                        created_at INTEGER NOT NULL,
                        delivered_at INTEGER
                    );
                    INSERT INTO new_notifications SELECT id, case_id, channel, target, event, subject, body, state,
                        attempts, CAST(ROUND(next_attempt_at * 1000) AS INTEGER), last_error,
                        CAST(ROUND(created_at * 1000) AS INTEGER), CAST(ROUND(delivered_at * 1000) AS INTEGER)
                        FROM notifications;
                    DROP TABLE notifications;
                    ALTER TABLE new_notifications RENAME TO notifications;
                    CREATE INDEX notifications_due ON notifications(next_attempt_at) WHERE state = 'pending';

                    CREATE TABLE new_candidate_checklists (
                        registration TEXT PRIMARY KEY NOT NULL,
                        dbs_reviewed INTEGER NOT NULL,
                        permanent_employer_references INTEGER NOT NULL,
                        employment_gaps_challenged INTEGER NOT NULL,
                        recorded_by TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    INSERT INTO new_candidate_checklists SELECT registration, dbs_reviewed,
                        permanent_employer_references, employment_gaps_challenged, recorded_by,
                        CAST(ROUND(updated_at * 1000) AS INTEGER) FROM candidate_checklists;
                    DROP TABLE candidate_checklists;
                    ALTER TABLE new_candidate_checklists RENAME TO candidate_checklists;

                    CREATE TABLE new_escalations (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT NOT NULL REFERENCES cases(id),
                        level INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        role TEXT NOT NULL,
                        raised_by_name TEXT NOT NULL,
                        raised_by_role TEXT NOT NULL,
                        note TEXT,
                        raised_at INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        notice_message_id TEXT NOT NULL,
                        acknowledged_at INTEGER,
                        acknowledged_by_name TEXT,
                        acknowledged_by_role TEXT,
                        closed_at INTEGER,
                        next_reminder_at INTEGER
                    );
                    INSERT INTO new_escalations SELECT id, case_id, level, reason, role, raised_by_name,
                        raised_by_role, note, CAST(ROUND(raised_at * 1000) AS INTEGER),
                        CAST(ROUND(due_at * 1000) AS INTEGER), notice_message_id,
                        CAST(ROUND(acknowledged_at * 1000) AS INTEGER), acknowledged_by_name, acknowledged_by_role,
                        CAST(ROUND(closed_at * 1000) AS INTEGER), CAST(ROUND(next_reminder_at * 1000) AS INTEGER)
                        FROM escalations;
                    DROP TABLE escalations;
                    ALTER TABLE new_escalations RENAME TO escalations;
                    CREATE INDEX escalations_by_case ON escalations(case_id, level);
                    """)
        }
        migrator.registerMigration("v8-delivery") { db in
            // Delivery that loses nothing: a refusal that cannot heal parks a message for an
            // operator (was `rejected`, dropped), a message not receipted by `expires_at` becomes
            // a recorded non-delivery (`expired`), messages of one case go in order (`case_id`,
            // rowid), and each peer's delivery health is kept in `peer_delivery`. Messages queued
            // before this version get seven days from when they were recorded.
            try db.execute(
                sql: """
                    CREATE TABLE new_outbox (
                        message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages(id),
                        peer TEXT NOT NULL,
                        case_id TEXT,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'parked', 'expired')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        created_at INTEGER NOT NULL,
                        next_attempt_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        last_error TEXT,
                        last_problem TEXT,
                        delivered_at INTEGER
                    );
                    INSERT INTO new_outbox (message_id, peer, case_id, state, attempts, created_at, next_attempt_at,
                        expires_at, last_error, delivered_at)
                        SELECT o.message_id, o.peer, m.case_id,
                            CASE o.state WHEN 'rejected' THEN 'parked' ELSE o.state END,
                            o.attempts, m.recorded_at, o.next_attempt_at, m.recorded_at + 7 * 86400000,
                            o.last_error, o.delivered_at
                        FROM outbox o JOIN messages m ON m.id = o.message_id
                        ORDER BY m.recorded_at, m.rowid;
                    DROP TABLE outbox;
                    ALTER TABLE new_outbox RENAME TO outbox;
                    CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
                    CREATE INDEX outbox_expiry ON outbox(expires_at) WHERE state = 'pending';
                    CREATE INDEX outbox_open_by_case ON outbox(case_id) WHERE state IN ('pending', 'parked');
                    CREATE INDEX outbox_by_peer ON outbox(peer, state);

                    CREATE TABLE peer_delivery (
                        peer TEXT PRIMARY KEY NOT NULL,
                        consecutive_failures INTEGER NOT NULL DEFAULT 0,
                        failing_since INTEGER,
                        last_success_at INTEGER,
                        last_failure_at INTEGER,
                        last_error TEXT,
                        next_probe_at INTEGER,
                        unreachable_alerted INTEGER NOT NULL DEFAULT 0
                    );
                    """)
        }
        migrator.registerMigration("v9-notifications-park") { db in
            // A notification refused for good (an SMTP 5xx, a wrong password, a 4xx from a
            // webhook) is parked for operators like a peer message, not dropped as `rejected`.
            try db.execute(
                sql: """
                    CREATE TABLE new_notifications (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT REFERENCES cases(id),
                        channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
                        target TEXT NOT NULL,
                        event TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        body TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'parked', 'expired')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_error TEXT,
                        created_at INTEGER NOT NULL,
                        delivered_at INTEGER
                    );
                    INSERT INTO new_notifications SELECT id, case_id, channel, target, event, subject, body,
                        CASE state WHEN 'rejected' THEN 'parked' ELSE state END, attempts, next_attempt_at,
                        last_error, created_at, delivered_at
                        FROM notifications ORDER BY rowid;
                    DROP TABLE notifications;
                    ALTER TABLE new_notifications RENAME TO notifications;
                    CREATE INDEX notifications_due ON notifications(next_attempt_at) WHERE state = 'pending';
                    """)
        }
        migrator.registerMigration("v10-directory-alerts") { db in
            // Each operator alert about a directory version is sent once, across restarts.
            try db.execute(
                sql: """
                    ALTER TABLE directory_versions ADD COLUMN expiry_warned INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE directory_versions ADD COLUMN expired_alerted INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE directory_versions ADD COLUMN exclusions_reported INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v11-audit") { db in
            // The audit log: one canonical JSON entry per action, appended in the action's
            // transaction. leaf_hash is SHA-256(0x00 || entry), kept so tree heads need not
            // rehash the log; `refgate audit verify` recomputes it.
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        seq INTEGER PRIMARY KEY NOT NULL,
                        case_id TEXT,
                        entry BLOB NOT NULL,
                        leaf_hash BLOB NOT NULL
                    );
                    CREATE INDEX audit_by_case ON audit_log(case_id) WHERE case_id IS NOT NULL;

                    -- Signed tree heads this node made over its own log.
                    CREATE TABLE audit_heads (
                        tree_size INTEGER PRIMARY KEY NOT NULL,
                        root_hash BLOB NOT NULL,
                        made_at INTEGER NOT NULL,
                        jws TEXT NOT NULL
                    );

                    -- Signed tree heads peers sent this node (their checkpoints), kept as witness.
                    CREATE TABLE peer_checkpoints (
                        authority TEXT NOT NULL,
                        tree_size INTEGER NOT NULL,
                        root_hash BLOB NOT NULL,
                        made_at INTEGER NOT NULL,
                        jws TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        PRIMARY KEY (authority, tree_size)
                    );

                    -- The signed directory itself, so evidence can show the version in force.
                    ALTER TABLE directory_versions ADD COLUMN signed BLOB;
                    -- When retention replaced the case's personal data with hashes.
                    ALTER TABLE cases ADD COLUMN purged_at INTEGER;
                    """)
        }
        migrator.registerMigration("v12-users") { db in
            // People who use the local API and the dashboard, and their credentials: API tokens,
            // one-time sign-in codes and dashboard sessions, each kept only as a SHA-256 hash.
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        role TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    CREATE TABLE user_credentials (
                        hash BLOB PRIMARY KEY NOT NULL,
                        user_id TEXT NOT NULL REFERENCES users(id),
                        kind TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER,
                        used_at INTEGER,
                        revoked_at INTEGER,
                        csrf TEXT
                    );
                    CREATE INDEX credentials_by_user ON user_credentials(user_id);
                    """)
        }
        migrator.registerMigration("v13-request-keys") { db in
            try db.execute(
                sql: """
                    -- Idempotency keys of requests people sent (POST /api/v1/requests): a retry
                    -- with the same key answers with the case the first call opened.
                    CREATE TABLE request_keys (
                        key TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT NOT NULL REFERENCES cases(id),
                        draft_digest TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v14-user-addresses") { db in
            // An address is unique among live users only: a revoked user's address may be given
            // a new account. SQLite cannot drop a column constraint, so the table is rebuilt
            // (its rows and ids unchanged, so credentials keep their users).
            try db.execute(
                sql: """
                    CREATE TABLE users_new (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        email TEXT NOT NULL COLLATE NOCASE,
                        role TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    INSERT INTO users_new (id, name, email, role, created_at, revoked_at)
                        SELECT id, name, email, role, created_at, revoked_at FROM users;
                    DROP TABLE users;
                    ALTER TABLE users_new RENAME TO users;
                    CREATE UNIQUE INDEX users_live_email ON users(email) WHERE revoked_at IS NULL;
                    CREATE INDEX users_by_email ON users(email);
                    """)
        }
        migrator.registerMigration("v15-peer-versions") { db in
            // The release each peer last said it runs (`RefGate-Version`), for delivery health.
            try db.execute(sql: "ALTER TABLE peer_delivery ADD COLUMN peer_version TEXT")
        }
        migrator.registerMigration("v16-highest-escalation-level") { db in
            // The highest level a case reached: `escalation_level` returns to 0 when an answer
            // closes the chase, and the regional figures count how far each case went.
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN highest_escalation_level INTEGER NOT NULL DEFAULT 0;
                    UPDATE cases SET highest_escalation_level = MAX(
                        escalation_level,
                        COALESCE((SELECT MAX(level) FROM escalations e WHERE e.case_id = cases.id), 0));
                    """)
        }
        migrator.registerMigration("v17-user-seniority") { db in
            // A user's post in the authority's words and its level in the procedure (para 5,
            // the ladder): who signs a message is who signed in, at the level recorded here.
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN job_title TEXT;
                    ALTER TABLE users ADD COLUMN seniority TEXT;
                    """)
        }
        migrator.registerMigration("v18-decisions-and-holds") { db in
            // Para 14 decisions on cases with a concern, and legal holds that retention respects.
            try db.execute(
                sql: """
                    CREATE TABLE case_decisions (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT NOT NULL REFERENCES cases(id),
                        decision TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        decided_by_name TEXT NOT NULL,
                        decided_by_role TEXT NOT NULL,
                        decided_by_user TEXT,
                        decided_at INTEGER NOT NULL
                    );
                    CREATE INDEX case_decisions_by_case ON case_decisions(case_id);
                    CREATE TABLE legal_holds (
                        case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases(id),
                        reason TEXT NOT NULL,
                        set_by_name TEXT NOT NULL,
                        set_by_role TEXT NOT NULL,
                        set_by_user TEXT,
                        set_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v19-offline-verifications-and-appointments") { db in
            // Paras 6–7: references verified by telephone or in writing outside the exchange;
            // the appointment itself, with the gate's state when it was recorded.
            try db.execute(
                sql: """
                    CREATE TABLE offline_verifications (
                        id TEXT PRIMARY KEY NOT NULL,
                        registration TEXT NOT NULL,
                        case_id TEXT REFERENCES cases(id),
                        method TEXT NOT NULL,
                        verified_with_name TEXT NOT NULL,
                        verified_with_organisation TEXT NOT NULL,
                        verified_on TEXT NOT NULL,
                        document_sha256 TEXT,
                        recorded_by_name TEXT NOT NULL,
                        recorded_by_role TEXT NOT NULL,
                        recorded_by_user TEXT,
                        recorded_at INTEGER NOT NULL
                    );
                    CREATE INDEX offline_verifications_by_candidate ON offline_verifications(registration);
                    CREATE TABLE appointments (
                        id TEXT PRIMARY KEY NOT NULL,
                        registration TEXT NOT NULL,
                        appointed_on TEXT NOT NULL,
                        approved_by_name TEXT NOT NULL,
                        approved_by_role TEXT NOT NULL,
                        approved_by_user TEXT,
                        clearance TEXT NOT NULL,
                        override_reason TEXT,
                        recorded_at INTEGER NOT NULL
                    );
                    CREATE INDEX appointments_by_candidate ON appointments(registration);
                    """)
        }
        migrator.registerMigration("v20-alert-preferences") { db in
            // The alerts each person turned off for themselves (escalations always go).
            try db.execute(
                sql: """
                    CREATE TABLE alert_preferences (
                        user_id TEXT NOT NULL REFERENCES users(id),
                        event TEXT NOT NULL,
                        PRIMARY KEY (user_id, event)
                    );
                    """)
        }
        migrator.registerMigration("v21-agencies-and-region") { db in
            // Agencies as records keyed by Companies House number (para 3); the agency and the
            // candidate's address of each candidate (para 8); the para 8 notices sent; the
            // agency's own para 9 confirmation and its one-time links; concerns about agencies;
            // and, at the coordinator, the figures each member signed.
            try db.execute(
                sql: """
                    CREATE TABLE agencies (
                        companies_house_number TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        contact_email TEXT,
                        merged_into TEXT REFERENCES agencies(companies_house_number),
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    ALTER TABLE cases ADD COLUMN agency TEXT;
                    CREATE INDEX cases_by_agency ON cases(agency);
                    CREATE TABLE candidate_contacts (
                        registration TEXT PRIMARY KEY NOT NULL,
                        agency TEXT REFERENCES agencies(companies_house_number),
                        email TEXT,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE TABLE agency_notices (
                        registration TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        agency TEXT,
                        case_id TEXT,
                        recipients INTEGER NOT NULL,
                        sent_at INTEGER NOT NULL,
                        PRIMARY KEY (registration, kind)
                    );
                    CREATE TABLE agency_checks (
                        registration TEXT PRIMARY KEY NOT NULL,
                        agency TEXT NOT NULL,
                        dbs_reviewed INTEGER NOT NULL,
                        permanent_employer_references INTEGER NOT NULL,
                        employment_gaps_challenged INTEGER NOT NULL,
                        confirmed_by TEXT NOT NULL,
                        method TEXT NOT NULL,
                        confirmed_at INTEGER NOT NULL,
                        recorded_by TEXT
                    );
                    CREATE TABLE agency_links (
                        token_hash TEXT PRIMARY KEY NOT NULL,
                        registration TEXT NOT NULL,
                        agency TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        used_at INTEGER
                    );
                    CREATE TABLE agency_concerns (
                        id TEXT PRIMARY KEY NOT NULL,
                        agency TEXT NOT NULL,
                        category TEXT NOT NULL,
                        text TEXT NOT NULL,
                        recorded_by_name TEXT NOT NULL,
                        recorded_by_role TEXT NOT NULL,
                        recorded_by_user TEXT,
                        recorded_at INTEGER NOT NULL
                    );
                    CREATE INDEX agency_concerns_by_agency ON agency_concerns(agency, recorded_at);
                    CREATE TABLE regional_figures (
                        message_id TEXT PRIMARY KEY NOT NULL,
                        authority TEXT NOT NULL,
                        period TEXT NOT NULL,
                        final INTEGER NOT NULL,
                        sent_at INTEGER NOT NULL,
                        figures TEXT NOT NULL,
                        received_at INTEGER NOT NULL
                    );
                    CREATE INDEX regional_figures_latest ON regional_figures(period, authority, sent_at);
                    """)
        }
        migrator.registerMigration("v22-openid-connect") { db in
            // Sign-in through the council's OpenID Connect provider: each user's stable subject
            // (`sub` or Entra's `oid`), and the logins in flight (state, nonce and PKCE verifier,
            // each state usable once).
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN oidc_subject TEXT;
                    CREATE UNIQUE INDEX users_by_oidc_subject ON users(oidc_subject) WHERE oidc_subject IS NOT NULL;
                    CREATE TABLE oidc_logins (
                        state_hash BLOB PRIMARY KEY NOT NULL,
                        binding_hash BLOB NOT NULL,
                        nonce TEXT NOT NULL,
                        verifier TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        used_at INTEGER
                    );
                    """)
        }
        migrator.registerMigration("v23-personal-channels") { db in
            // How each person chose to be told (e-mail, text message) and the number for texts;
            // and notifications through GOV.UK Notify and to Microsoft Teams (SQLite cannot
            // change a CHECK, so the table is rebuilt with its rows in order).
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN channels TEXT;
                    ALTER TABLE users ADD COLUMN phone TEXT;
                    CREATE TABLE new_notifications (
                        id TEXT PRIMARY KEY NOT NULL,
                        case_id TEXT REFERENCES cases(id),
                        channel TEXT NOT NULL
                            CHECK (channel IN ('email', 'webhook', 'notify-email', 'notify-sms', 'teams')),
                        target TEXT NOT NULL,
                        event TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        body TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'parked', 'expired')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_error TEXT,
                        created_at INTEGER NOT NULL,
                        delivered_at INTEGER
                    );
                    INSERT INTO new_notifications SELECT id, case_id, channel, target, event, subject, body, state,
                        attempts, next_attempt_at, last_error, created_at, delivered_at
                        FROM notifications ORDER BY rowid;
                    DROP TABLE notifications;
                    ALTER TABLE new_notifications RENAME TO notifications;
                    CREATE INDEX notifications_due ON notifications(next_attempt_at) WHERE state = 'pending';
                    """)
        }
        migrator.registerMigration("v24-case-list-order") { db in
            // The case list pages newest first in SQL: an index in that order, and the peer's.
            try db.execute(
                sql: """
                    CREATE INDEX cases_by_created ON cases(created_at, id);
                    CREATE INDEX cases_by_peer ON cases(peer, created_at);
                    """)
        }
        migrator.registerMigration("v25-waiting-deadline") { db in
            // The deadline each case waits on (its latest escalation's, else its response
            // deadline), kept by triggers in the transaction that changes either, so the case
            // list rates cases by an index range instead of working it out row by row.
            let latest = """
                COALESCE((SELECT e.due_at FROM escalations e WHERE e.case_id = cases.id ORDER BY e.level DESC LIMIT 1),
                    cases.respond_by)
                """
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN waiting_due INTEGER;
                    UPDATE cases SET waiting_due = \(latest);
                    CREATE INDEX cases_waiting ON cases(status, waiting_due);
                    CREATE TRIGGER cases_waiting_on_insert AFTER INSERT ON cases BEGIN
                        UPDATE cases SET waiting_due = \(latest) WHERE id = NEW.id;
                    END;
                    CREATE TRIGGER cases_waiting_on_respond_by AFTER UPDATE OF respond_by ON cases BEGIN
                        UPDATE cases SET waiting_due = \(latest) WHERE id = NEW.id;
                    END;
                    CREATE TRIGGER cases_waiting_on_escalation AFTER INSERT ON escalations BEGIN
                        UPDATE cases SET waiting_due = \(latest) WHERE id = NEW.case_id;
                    END;
                    CREATE TRIGGER cases_waiting_on_escalation_due AFTER UPDATE OF due_at ON escalations BEGIN
                        UPDATE cases SET waiting_due = \(latest) WHERE id = NEW.case_id;
                    END;
                    CREATE TRIGGER cases_waiting_on_escalation_gone AFTER DELETE ON escalations BEGIN
                        UPDATE cases SET waiting_due = \(latest) WHERE id = OLD.case_id;
                    END;
                    """)
        }
        migrator.registerMigration("v26-delivery-claims") { db in
            // Several instances on one PostgreSQL database claim what they send for a lease;
            // one process on SQLite never needs to, but the schema is the same on both.
            try db.execute(
                sql: """
                    ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
                    ALTER TABLE notifications ADD COLUMN claimed_until INTEGER;
                    """)
        }
        migrator.registerMigration("v27-list-indexes") { db in
            // Lists of a million cases filter, count and page in indexes (`PostgresSchema`), and
            // a search for part of a candidate's name reads a trigram index (FTS5) kept beside
            // the cases by triggers. PostgreSQL's form is pg_trgm.
            try db.execute(
                sql: """
                    \(PostgresSchema.listIndexes)
                    CREATE VIRTUAL TABLE case_names USING fts5(
                        candidate_name, content = 'cases', content_rowid = 'rowid', tokenize = 'trigram');
                    INSERT INTO case_names(case_names) VALUES ('rebuild');
                    CREATE TRIGGER case_names_on_insert AFTER INSERT ON cases BEGIN
                        INSERT INTO case_names(rowid, candidate_name) VALUES (NEW.rowid, NEW.candidate_name);
                    END;
                    CREATE TRIGGER case_names_on_delete AFTER DELETE ON cases BEGIN
                        INSERT INTO case_names(case_names, rowid, candidate_name)
                            VALUES ('delete', OLD.rowid, OLD.candidate_name);
                    END;
                    CREATE TRIGGER case_names_on_update AFTER UPDATE OF candidate_name ON cases BEGIN
                        INSERT INTO case_names(case_names, rowid, candidate_name)
                            VALUES ('delete', OLD.rowid, OLD.candidate_name);
                        INSERT INTO case_names(rowid, candidate_name) VALUES (NEW.rowid, NEW.candidate_name);
                    END;
                    """)
        }
        migrator.registerMigration("v28-answer-times") { db in
            // The performance report counts and ranks in SQL: each case keeps when its request
            // and response were signed, and the working time between them once worked out.
            try db.execute(
                sql: """
                    ALTER TABLE cases ADD COLUMN requested_at INTEGER;
                    ALTER TABLE cases ADD COLUMN answered_at INTEGER;
                    ALTER TABLE cases ADD COLUMN answer_working_seconds REAL;
                    \(PostgresSchema.answerTimesBackfill)
                    """)
        }
        migrator.registerMigration("v29-answer-tallies") { db in
            // The report over all time reads running totals per peer, side and band of working
            // time (`AnswerTally`), kept by triggers in the transaction that changes a case.
            try db.execute(sql: AnswerTally.sqliteSchema)
        }
        migrator.registerMigration("v30-lighter-writes") { _ in
            // PostgreSQL's triggers and queue tables get cheaper to write
            // (`PostgresSchema.lighterWrites`); SQLite's triggers are plain SQL and its pages
            // have no in-place updates to make room for. Nothing changes here: the migration
            // keeps both engines' lists equal.
        }
        return migrator
    }
}
