/// Running totals behind the performance report over all time (migration `v29-answer-tallies`).
///
/// Per peer, side and band of working time from request to answer, table `answer_tallies`
/// holds how many requests were signed, answered and escalated to each level. Triggers keep it
/// in the transaction that changes a case, so it is never behind the cases it counts. Band -1
/// holds the requests with no answer (or no working time yet); band `b` ≥ 0 the answers whose
/// working time is in `[b × width, (b + 1) × width)`, the first band from below and the last
/// upwards. The report finds in which band each percentile falls from the totals, then reads the
/// exact time from that band's answers alone, in the `cases_answer_times` index.
///
/// The width is a power of two so that the band worked out in SQL (a division) and the bounds
/// compared in SQL (a multiplication) agree exactly on every double.
///
/// SQLite keeps one row per key (an upsert). On PostgreSQL, where writers run concurrently, a
/// trigger only ever inserts a row of changes, so that two writers never wait for the same row;
/// the report sums them, and `StoreTransaction.foldAnswerTallies()` folds them into one row per
/// key.
enum AnswerTally {
    /// Seconds of working time in a band: 2,048 (34 minutes).
    static let width = 2_048.0
    /// The last band: working times from 1,023 × 2,048 s (582 working hours) upwards.
    static let lastBand = 1_023

    /// The columns a change of which changes a case's contribution.
    static let columns = "peer, side, requested_at, answered_at, answer_working_seconds, highest_escalation_level"

    /// The band of a case `row` (`NEW` or `OLD`) in SQL; `floor` is the engine's spelling of
    /// rounding a non-negative double down to an integer.
    static func band(_ row: String, floor: (String) -> String) -> String {
        let seconds = "\(row).answer_working_seconds"
        return """
            CASE WHEN \(row).answered_at IS NULL OR \(seconds) IS NULL THEN -1
                WHEN \(seconds) < \(Int(width)) THEN 0
                WHEN \(seconds) >= \(lastBand * Int(width)) THEN \(lastBand)
                ELSE \(floor("\(seconds) / \(Int(width))")) END
            """
    }

    /// The values a case `row` adds to its key's totals, times `sign`.
    static func values(_ row: String, sign: Int, floor: (String) -> String) -> String {
        func flag(_ condition: String) -> String { "\(sign) * (CASE WHEN \(condition) THEN 1 ELSE 0 END)" }
        return """
            \(row).peer, \(row).side, \(band(row, floor: floor)), \(sign),
                \(flag("\(row).answered_at IS NOT NULL")), \(flag("\(row).highest_escalation_level >= 1")),
                \(flag("\(row).highest_escalation_level >= 2")), \(flag("\(row).highest_escalation_level >= 3"))
            """
    }

    /// Whether an update changed what `OLD` and `NEW` contribute.
    static func changed(distinct: String) -> String {
        """
        OLD.peer \(distinct) NEW.peer OR OLD.side \(distinct) NEW.side
            OR OLD.requested_at \(distinct) NEW.requested_at
            OR (OLD.answered_at IS NULL) <> (NEW.answered_at IS NULL)
            OR OLD.answer_working_seconds \(distinct) NEW.answer_working_seconds
            OR OLD.highest_escalation_level \(distinct) NEW.highest_escalation_level
        """
    }

    /// The totals of the cases already held, grouped by key.
    static func fill(floor: (String) -> String) -> String {
        """
        INSERT INTO answer_tallies (peer, side, band, requests, answered, level1, level2, level3)
            SELECT peer, side, \(band("cases", floor: floor)) AS b, count(*), count(answered_at),
                sum(CASE WHEN highest_escalation_level >= 1 THEN 1 ELSE 0 END),
                sum(CASE WHEN highest_escalation_level >= 2 THEN 1 ELSE 0 END),
                sum(CASE WHEN highest_escalation_level >= 3 THEN 1 ELSE 0 END)
            FROM cases WHERE requested_at IS NOT NULL GROUP BY peer, side, b
        """
    }

    /// SQLite's CAST truncates, which is rounding down for the non-negative times it is given.
    static func sqliteFloor(_ value: String) -> String { "CAST(\(value) AS INTEGER)" }
    /// PostgreSQL's CAST of a double rounds to nearest, so it is floored first.
    static func postgresFloor(_ value: String) -> String { "CAST(floor(\(value)) AS BIGINT)" }

    /// The answers the report ranks, by peer, side and working time: an index-only read of a
    /// band (v28's index held every time, so a band's walk read each case to check it was
    /// answered: 80 ms over all time at a million cases, bands of up to 1,700 answers). The
    /// two times are columns too: SQLite counts an index as covering only when it holds every
    /// column the query names, its WHERE clause's included.
    static let rankedIndex = """
        DROP INDEX cases_answer_times;
        CREATE INDEX cases_answer_times ON cases(peer, side, answer_working_seconds, answered_at, requested_at)
            WHERE answer_working_seconds IS NOT NULL AND answered_at IS NOT NULL AND requested_at IS NOT NULL;
        """

    /// Migration v29 on SQLite: one row per key, kept by upserts.
    static var sqliteSchema: String {
        func add(_ row: String, sign: Int) -> String {
            """
            INSERT INTO answer_tallies (peer, side, band, requests, answered, level1, level2, level3)
                SELECT \(values(row, sign: sign, floor: sqliteFloor)) WHERE \(row).requested_at IS NOT NULL
                ON CONFLICT (peer, side, band) DO UPDATE SET requests = requests + excluded.requests,
                    answered = answered + excluded.answered, level1 = level1 + excluded.level1,
                    level2 = level2 + excluded.level2, level3 = level3 + excluded.level3;
            """
        }
        return """
            CREATE TABLE answer_tallies (
                peer TEXT NOT NULL, side TEXT NOT NULL, band INTEGER NOT NULL,
                requests INTEGER NOT NULL, answered INTEGER NOT NULL,
                level1 INTEGER NOT NULL, level2 INTEGER NOT NULL, level3 INTEGER NOT NULL,
                PRIMARY KEY (peer, side, band)) WITHOUT ROWID;
            \(fill(floor: sqliteFloor));
            \(rankedIndex)
            CREATE TRIGGER answer_tallies_on_insert AFTER INSERT ON cases BEGIN
                \(add("NEW", sign: 1))
            END;
            CREATE TRIGGER answer_tallies_on_delete AFTER DELETE ON cases BEGIN
                \(add("OLD", sign: -1))
            END;
            CREATE TRIGGER answer_tallies_on_update AFTER UPDATE OF \(columns) ON cases
                WHEN \(changed(distinct: "IS NOT")) BEGIN
                \(add("OLD", sign: -1))
                \(add("NEW", sign: 1))
            END;
            """
    }

    /// Migration v29 on PostgreSQL: rows of changes, inserted and never updated by writers,
    /// in `INTEGER`s, whose sums are `BIGINT` (a `BIGINT`'s are `NUMERIC`, three times slower
    /// to add up). The
    /// report reads them in key order from an index alone: rows of changes come and go, and a
    /// heap grown by many of them (an upgrade working out every answer's time) stays large.
    static var postgresSchema: String {
        func add(_ row: String, sign: Int) -> String {
            """
            INSERT INTO answer_tallies (peer, side, band, requests, answered, level1, level2, level3)
                        VALUES (\(values(row, sign: sign, floor: postgresFloor)));
            """
        }
        return """
            CREATE TABLE answer_tallies (
                peer TEXT NOT NULL, side TEXT NOT NULL, band INTEGER NOT NULL,
                requests INTEGER NOT NULL, answered INTEGER NOT NULL,
                level1 INTEGER NOT NULL, level2 INTEGER NOT NULL, level3 INTEGER NOT NULL);
            CREATE INDEX answer_tallies_by_key ON answer_tallies(peer, side, band)
                INCLUDE (requests, answered, level1, level2, level3);
            \(fill(floor: postgresFloor));
            \(rankedIndex)
            CREATE FUNCTION refgate_answer_tally() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' AND OLD.requested_at IS NOT NULL THEN
                        \(add("OLD", sign: -1))
                    END IF;
                    IF TG_OP <> 'DELETE' AND NEW.requested_at IS NOT NULL THEN
                        \(add("NEW", sign: 1))
                    END IF;
                    RETURN NULL;
                END
                $$;
            CREATE TRIGGER cases_answer_tally AFTER INSERT OR DELETE ON cases
                FOR EACH ROW EXECUTE FUNCTION refgate_answer_tally();
            CREATE TRIGGER cases_answer_tally_change AFTER UPDATE OF \(columns) ON cases
                FOR EACH ROW WHEN (\(changed(distinct: "IS DISTINCT FROM"))) EXECUTE FUNCTION refgate_answer_tally();
            """
    }

    /// The lowest working time in `band` (nil for the first: it takes everything below).
    static func lowerBound(of band: Int) -> Double? { band <= 0 ? nil : Double(band) * width }

    /// The first working time above `band` (nil for the last: it takes everything above).
    static func upperBound(of band: Int) -> Double? { band >= lastBand ? nil : Double(band + 1) * width }
}
