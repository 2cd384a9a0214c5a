/// The store's schema on PostgreSQL.
///
/// PostgreSQL support begins with migration `v25-waiting-deadline`: a new database is made with
/// `baseline`, the schema a SQLite database has after every migration up to it, spelled for
/// PostgreSQL (BIGINT for INTEGER, BYTEA for BLOB, an identity column `rowid` where the store
/// orders by insertion, case-insensitive e-mail by an index on `lower(email)`, the `waiting_due`
/// triggers in PL/pgSQL). `PostgresSchemaTests` checks that each table has the same columns on
/// both engines. A later migration is written twice, in `Store+Migrations.swift` and here, under
/// the same name.
enum PostgresSchema {
    /// The last SQLite migration the baseline equals.
    static let baselineMigration = "v25-waiting-deadline"

    /// Migrations after the baseline, by the same names as SQLite's, in order.
    static let migrations: [(String, String)] = [
        (
            "v26-delivery-claims",
            """
            ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
            ALTER TABLE notifications ADD COLUMN claimed_until BIGINT;
            """
        ),
        (
            "v27-list-indexes",
            """
            \(listIndexes)
            -- A search for part of a candidate name reads a trigram index where the extension
            -- may be installed (pg_trgm is trusted, so a database owner may), else it scans.
            DO $$
            BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX cases_by_name_trigram ON cases USING gin (lower(candidate_name) gin_trgm_ops);
            EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
                RAISE NOTICE 'pg_trgm is not available: a search by part of a name scans the cases';
            END
            $$;
            """
        ),
        (
            "v28-answer-times",
            """
            ALTER TABLE cases ADD COLUMN requested_at BIGINT;
            ALTER TABLE cases ADD COLUMN answered_at BIGINT;
            ALTER TABLE cases ADD COLUMN answer_working_seconds DOUBLE PRECISION;
            \(answerTimesBackfill)
            """
        ),
        ("v29-answer-tallies", AnswerTally.postgresSchema),
        ("v30-lighter-writes", lighterWrites),
    ]

    /// Two changes that make each message's writes cheaper for the server, neither changing what
    /// is stored:
    /// - the `waiting_due` triggers look the deadline up in PL/pgSQL, whose plan the session
    ///   keeps, rather than through the SQL function `refgate_waiting_due`, which PostgreSQL
    ///   plans again in each transaction and savepoint that calls it (with the other case
    ///   triggers, a fifth of the server's time under `refgate bench exchange`, seen with `perf`);
    ///   a case being inserted waits on its response deadline without a lookup (an escalation
    ///   references its case, so none exists yet); the function, called by nothing now, goes;
    /// - the queues' pages are left a quarter free, so that a claim (which changes no indexed
    ///   column) updates its row in place (a HOT update) instead of adding to each of the
    ///   table's indexes. It applies to pages written from now on.
    static let lighterWrites = """
        ALTER TABLE outbox SET (fillfactor = 75);
        ALTER TABLE notifications SET (fillfactor = 75);
        CREATE OR REPLACE FUNCTION refgate_cases_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- A case being inserted has no escalations yet (theirs reference it).
                IF TG_OP = 'INSERT' THEN
                    NEW.waiting_due := NEW.respond_by;
                    RETURN NEW;
                END IF;
                NEW.waiting_due := COALESCE(
                    (SELECT e.due_at FROM escalations e WHERE e.case_id = NEW.id ORDER BY e.level DESC LIMIT 1),
                    NEW.respond_by);
                RETURN NEW;
            END
            $$;
        CREATE OR REPLACE FUNCTION refgate_escalations_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                changed TEXT := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
            BEGIN
                UPDATE cases SET waiting_due = COALESCE(
                    (SELECT e.due_at FROM escalations e WHERE e.case_id = cases.id ORDER BY e.level DESC LIMIT 1),
                    cases.respond_by)
                WHERE id = changed;
                RETURN NULL;
            END
            $$;
        DROP FUNCTION refgate_waiting_due(TEXT, BIGINT);
        """

    /// Fills `requested_at` and `answered_at` from the messages held, and indexes them for the
    /// performance report (working time is filled by the node, which knows the calendar).
    static let answerTimesBackfill = """
        UPDATE cases SET requested_at = (SELECT m.sent_at FROM messages m WHERE m.id = cases.request_message_id),
            answered_at = (SELECT m.sent_at FROM messages m WHERE m.id = cases.response_message_id);
        CREATE INDEX cases_by_requested
            ON cases(requested_at, peer, side, highest_escalation_level, answered_at, answer_working_seconds);
        CREATE INDEX cases_answer_times ON cases(peer, side, answer_working_seconds)
            WHERE answer_working_seconds IS NOT NULL;
        CREATE INDEX cases_answer_time_missing ON cases(answered_at, requested_at, answer_working_seconds)
            WHERE answered_at IS NOT NULL AND answer_working_seconds IS NULL;
        """

    /// Indexes that let lists of a million cases filter, count and page in the index: awaiting
    /// cases by deadline with their level (a rating's count is one scan of the index alone, and
    /// red's "or the ladder spent" is read there too), by side and peer (the outstanding counts),
    /// and every case by status in the list's order. The same statements on both engines.
    static let listIndexes = """
        DROP INDEX cases_waiting;
        CREATE INDEX cases_waiting ON cases(status, waiting_due, escalation_level);
        CREATE INDEX cases_waiting_by_peer ON cases(status, side, peer, waiting_due, escalation_level);
        CREATE INDEX cases_by_status_created ON cases(status, created_at);
        CREATE INDEX cases_by_registration ON cases(lower(candidate_registration));
        """

    /// The schema of a new database.
    static let baseline = """
        CREATE TABLE cases (
            id TEXT PRIMARY KEY NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('requester', 'responder')),
            peer TEXT NOT NULL,
            status TEXT NOT NULL,
            candidate_name TEXT NOT NULL,
            candidate_role TEXT NOT NULL,
            respond_by BIGINT NOT NULL,
            request_message_id TEXT NOT NULL,
            response_message_id TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            candidate_registration TEXT,
            escalation_level BIGINT NOT NULL DEFAULT 0,
            next_due BIGINT,
            purged_at BIGINT,
            highest_escalation_level BIGINT NOT NULL DEFAULT 0,
            agency TEXT,
            waiting_due BIGINT);
        CREATE INDEX cases_by_status ON cases(status, respond_by);
        CREATE INDEX cases_by_candidate ON cases(candidate_registration, side);
        CREATE INDEX cases_next_due ON cases(next_due) WHERE next_due IS NOT NULL;
        CREATE TABLE messages (
            id TEXT PRIMARY KEY NOT NULL,
            case_id TEXT REFERENCES cases(id),
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            kind TEXT NOT NULL,
            from_authority TEXT NOT NULL,
            to_authority TEXT NOT NULL,
            sent_at BIGINT NOT NULL,
            recorded_at BIGINT NOT NULL,
            jws BYTEA NOT NULL,
            digest TEXT NOT NULL,
            rowid BIGINT GENERATED ALWAYS AS IDENTITY
        );
        CREATE INDEX messages_by_case ON messages(case_id, recorded_at);
        CREATE TABLE receipts (
            message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages(id),
            receipt_id TEXT NOT NULL,
            jws BYTEA NOT NULL,
            received_at BIGINT NOT NULL
        );
        CREATE TABLE directory_versions (
            version BIGINT PRIMARY KEY NOT NULL,
            digest TEXT NOT NULL,
            installed_at BIGINT NOT NULL,
            expiry_warned BIGINT NOT NULL DEFAULT 0,
            expired_alerted BIGINT NOT NULL DEFAULT 0,
            exclusions_reported BIGINT NOT NULL DEFAULT 0,
            signed BYTEA);
        CREATE TABLE candidate_checklists (
            registration TEXT PRIMARY KEY NOT NULL,
            dbs_reviewed BIGINT NOT NULL,
            permanent_employer_references BIGINT NOT NULL,
            employment_gaps_challenged BIGINT NOT NULL,
            recorded_by TEXT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE TABLE escalations (
            id TEXT PRIMARY KEY NOT NULL,
            case_id TEXT NOT NULL REFERENCES cases(id),
            level BIGINT NOT NULL,
            reason TEXT NOT NULL,
            role TEXT NOT NULL,
            raised_by_name TEXT NOT NULL,
            raised_by_role TEXT NOT NULL,
            note TEXT,
            raised_at BIGINT NOT NULL,
            due_at BIGINT NOT NULL,
            notice_message_id TEXT NOT NULL,
            acknowledged_at BIGINT,
            acknowledged_by_name TEXT,
            acknowledged_by_role TEXT,
            closed_at BIGINT,
            next_reminder_at BIGINT
        );
        CREATE INDEX escalations_by_case ON escalations(case_id, level);
        CREATE TABLE outbox (
            message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages(id),
            peer TEXT NOT NULL,
            case_id TEXT,
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'parked', 'expired')),
            attempts BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            last_error TEXT,
            last_problem TEXT,
            delivered_at BIGINT,
            rowid BIGINT GENERATED ALWAYS AS IDENTITY
        );
        CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
        CREATE INDEX outbox_expiry ON outbox(expires_at) WHERE state = 'pending';
        CREATE INDEX outbox_open_by_case ON outbox(case_id) WHERE state IN ('pending', 'parked');
        CREATE INDEX outbox_by_peer ON outbox(peer, state);
        CREATE TABLE peer_delivery (
            peer TEXT PRIMARY KEY NOT NULL,
            consecutive_failures BIGINT NOT NULL DEFAULT 0,
            failing_since BIGINT,
            last_success_at BIGINT,
            last_failure_at BIGINT,
            last_error TEXT,
            next_probe_at BIGINT,
            unreachable_alerted BIGINT NOT NULL DEFAULT 0,
            peer_version TEXT);
        CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY NOT NULL,
            case_id TEXT,
            entry BYTEA NOT NULL,
            leaf_hash BYTEA NOT NULL
        );
        CREATE INDEX audit_by_case ON audit_log(case_id) WHERE case_id IS NOT NULL;
        CREATE TABLE audit_heads (
            tree_size BIGINT PRIMARY KEY NOT NULL,
            root_hash BYTEA NOT NULL,
            made_at BIGINT NOT NULL,
            jws TEXT NOT NULL
        );
        CREATE TABLE peer_checkpoints (
            authority TEXT NOT NULL,
            tree_size BIGINT NOT NULL,
            root_hash BYTEA NOT NULL,
            made_at BIGINT NOT NULL,
            jws TEXT NOT NULL,
            message_id TEXT NOT NULL,
            received_at BIGINT NOT NULL,
            PRIMARY KEY (authority, tree_size)
        );
        CREATE TABLE users (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            role TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT,
            job_title TEXT,
            seniority TEXT,
            oidc_subject TEXT,
            channels TEXT,
            phone TEXT);
        CREATE TABLE user_credentials (
            hash BYTEA PRIMARY KEY NOT NULL,
            user_id TEXT NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT,
            used_at BIGINT,
            revoked_at BIGINT,
            csrf TEXT
        );
        CREATE INDEX credentials_by_user ON user_credentials(user_id);
        CREATE TABLE request_keys (
            key TEXT PRIMARY KEY NOT NULL,
            case_id TEXT NOT NULL REFERENCES cases(id),
            draft_digest TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE UNIQUE INDEX users_live_email ON users(lower(email)) WHERE revoked_at IS NULL;
        CREATE INDEX users_by_email ON users(lower(email));
        CREATE TABLE case_decisions (
            id TEXT PRIMARY KEY NOT NULL,
            case_id TEXT NOT NULL REFERENCES cases(id),
            decision TEXT NOT NULL,
            reason TEXT NOT NULL,
            decided_by_name TEXT NOT NULL,
            decided_by_role TEXT NOT NULL,
            decided_by_user TEXT,
            decided_at BIGINT NOT NULL
        );
        CREATE INDEX case_decisions_by_case ON case_decisions(case_id);
        CREATE TABLE legal_holds (
            case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases(id),
            reason TEXT NOT NULL,
            set_by_name TEXT NOT NULL,
            set_by_role TEXT NOT NULL,
            set_by_user TEXT,
            set_at BIGINT NOT NULL
        );
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
            recorded_at BIGINT NOT NULL
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
            recorded_at BIGINT NOT NULL
        );
        CREATE INDEX appointments_by_candidate ON appointments(registration);
        CREATE TABLE alert_preferences (
            user_id TEXT NOT NULL REFERENCES users(id),
            event TEXT NOT NULL,
            PRIMARY KEY (user_id, event)
        );
        CREATE TABLE agencies (
            companies_house_number TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            contact_email TEXT,
            merged_into TEXT REFERENCES agencies(companies_house_number),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE INDEX cases_by_agency ON cases(agency);
        CREATE TABLE candidate_contacts (
            registration TEXT PRIMARY KEY NOT NULL,
            agency TEXT REFERENCES agencies(companies_house_number),
            email TEXT,
            updated_at BIGINT NOT NULL
        );
        CREATE TABLE agency_notices (
            registration TEXT NOT NULL,
            kind TEXT NOT NULL,
            agency TEXT,
            case_id TEXT,
            recipients BIGINT NOT NULL,
            sent_at BIGINT NOT NULL,
            PRIMARY KEY (registration, kind)
        );
        CREATE TABLE agency_checks (
            registration TEXT PRIMARY KEY NOT NULL,
            agency TEXT NOT NULL,
            dbs_reviewed BIGINT NOT NULL,
            permanent_employer_references BIGINT NOT NULL,
            employment_gaps_challenged BIGINT NOT NULL,
            confirmed_by TEXT NOT NULL,
            method TEXT NOT NULL,
            confirmed_at BIGINT NOT NULL,
            recorded_by TEXT
        );
        CREATE TABLE agency_links (
            token_hash TEXT PRIMARY KEY NOT NULL,
            registration TEXT NOT NULL,
            agency TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            used_at BIGINT
        );
        CREATE TABLE agency_concerns (
            id TEXT PRIMARY KEY NOT NULL,
            agency TEXT NOT NULL,
            category TEXT NOT NULL,
            text TEXT NOT NULL,
            recorded_by_name TEXT NOT NULL,
            recorded_by_role TEXT NOT NULL,
            recorded_by_user TEXT,
            recorded_at BIGINT NOT NULL
        );
        CREATE INDEX agency_concerns_by_agency ON agency_concerns(agency, recorded_at);
        CREATE TABLE regional_figures (
            message_id TEXT PRIMARY KEY NOT NULL,
            authority TEXT NOT NULL,
            period TEXT NOT NULL,
            final BIGINT NOT NULL,
            sent_at BIGINT NOT NULL,
            figures TEXT NOT NULL,
            received_at BIGINT NOT NULL
        );
        CREATE INDEX regional_figures_latest ON regional_figures(period, authority, sent_at);
        CREATE UNIQUE INDEX users_by_oidc_subject ON users(oidc_subject) WHERE oidc_subject IS NOT NULL;
        CREATE TABLE oidc_logins (
            state_hash BYTEA PRIMARY KEY NOT NULL,
            binding_hash BYTEA NOT NULL,
            nonce TEXT NOT NULL,
            verifier TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            used_at BIGINT
        );
        CREATE TABLE notifications (
            id TEXT PRIMARY KEY NOT NULL,
            case_id TEXT REFERENCES cases(id),
            channel TEXT NOT NULL
                CHECK (channel IN ('email', 'webhook', 'notify-email', 'notify-sms', 'teams')),
            target TEXT NOT NULL,
            event TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'parked', 'expired')),
            attempts BIGINT NOT NULL DEFAULT 0,
            next_attempt_at BIGINT NOT NULL,
            last_error TEXT,
            created_at BIGINT NOT NULL,
            delivered_at BIGINT,
            rowid BIGINT GENERATED ALWAYS AS IDENTITY
        );
        CREATE INDEX notifications_due ON notifications(next_attempt_at) WHERE state = 'pending';
        CREATE INDEX cases_by_created ON cases(created_at, id);
        CREATE INDEX cases_by_peer ON cases(peer, created_at);
        CREATE INDEX cases_waiting ON cases(status, waiting_due);
        -- cases.waiting_due: the deadline an awaiting case waits on (its latest escalation's, else its
        -- response deadline), kept as SQLite's triggers keep it (migration v25).
        CREATE FUNCTION refgate_waiting_due(case_id TEXT, respond_by BIGINT) RETURNS BIGINT
            LANGUAGE sql STABLE AS $$
                SELECT COALESCE(
                    (SELECT e.due_at FROM escalations e WHERE e.case_id = $1 ORDER BY e.level DESC LIMIT 1), $2)
            $$;
        CREATE FUNCTION refgate_cases_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.waiting_due := refgate_waiting_due(NEW.id, NEW.respond_by);
                RETURN NEW;
            END
            $$;
        CREATE TRIGGER cases_waiting BEFORE INSERT OR UPDATE OF respond_by ON cases
            FOR EACH ROW EXECUTE FUNCTION refgate_cases_waiting();
        CREATE FUNCTION refgate_escalations_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                changed TEXT := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
            BEGIN
                UPDATE cases SET waiting_due = refgate_waiting_due(cases.id, cases.respond_by) WHERE id = changed;
                RETURN NULL;
            END
            $$;
        CREATE TRIGGER escalations_waiting AFTER INSERT OR DELETE OR UPDATE OF due_at ON escalations
            FOR EACH ROW EXECUTE FUNCTION refgate_escalations_waiting();
        """
}
