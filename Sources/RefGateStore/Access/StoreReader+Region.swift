import Foundation
import GRDB
import RefGateCore

/// One case as the regional figures count it: no names, no registration numbers leave this.
public struct RegionalCaseRow: Sendable, Hashable {
    /// The other authority.
    public var peer: AuthorityID
    /// Which side this authority is on.
    public var side: CaseSide
    /// Where it stands.
    public var status: CaseStatus
    /// The deadline the request set.
    public var respondBy: Date
    /// When the response was signed, if it has been.
    public var answeredAt: Date?
    /// The highest escalation level reached (3: the ladder was spent).
    public var highestEscalationLevel: Int
    /// The agency (commissioning side), if recorded.
    public var agency: CompaniesHouseNumber?
    /// The candidate's key, to count candidates (never sent).
    public var registration: String?
}

extension StoreReader {
    /// Every case whose request was signed in `[from, to)`, as the regional figures count them.
    public func regionalCaseRows(from: Date, to: Date) throws -> [RegionalCaseRow] {
        try Row.fetchAll(
            try db.cached(
                """
                SELECT c.peer, c.side, c.status, c.respond_by, c.highest_escalation_level, c.agency,
                    c.candidate_registration, r.sent_at AS answered_at
                FROM cases c
                JOIN messages q ON q.id = c.request_message_id
                LEFT JOIN messages r ON r.id = c.response_message_id
                WHERE q.sent_at >= ? AND q.sent_at < ?
                """),
            arguments: [from.epochMilliseconds, to.epochMilliseconds]
        ).map { row in
            guard let side = CaseSide(rawValue: row["side"]), let peer = AuthorityID(rawValue: row["peer"]),
                let status = CaseStatus(rawValue: row["status"])
            else { throw RefGateError(.storedDataUnknown, "a case has an unknown side, peer or status") }
            return RegionalCaseRow(
                peer: peer, side: side, status: status, respondBy: row.instant("respond_by"),
                answeredAt: row.optionalInstant("answered_at"), highestEscalationLevel: row["highest_escalation_level"],
                agency: (row["agency"] as String?).flatMap(CompaniesHouseNumber.init(rawValue:)),
                registration: row["candidate_registration"])
        }
    }

    /// Concerns about agencies recorded in `[from, to)`, counted by agency and category.
    public func agencyConcernCounts(from: Date, to: Date) throws -> [CompaniesHouseNumber: [String: Int]] {
        var counts: [CompaniesHouseNumber: [String: Int]] = [:]
        for row in try Row.fetchAll(
            try db.cached(
                """
                SELECT agency, category, count(*) AS n FROM agency_concerns
                WHERE recorded_at >= ? AND recorded_at < ? GROUP BY agency, category
                """), arguments: [from.epochMilliseconds, to.epochMilliseconds])
        {
            guard let agency = CompaniesHouseNumber(rawValue: row["agency"]) else { continue }
            counts[agency, default: [:]][row["category"]] = row["n"]
        }
        return counts
    }

    /// At the coordinator: the newest figures each member signed for each month (all months
    /// when `period` is nil), oldest month first.
    public func latestRegionalFigures(period: String? = nil) throws -> [RegionalFiguresRecord] {
        let sql = """
            SELECT f.message_id, f.figures, f.received_at FROM regional_figures f
            WHERE (? IS NULL OR f.period = ?) AND f.sent_at = (
                SELECT max(g.sent_at) FROM regional_figures g WHERE g.authority = f.authority AND g.period = f.period)
            ORDER BY f.period, f.authority
            """
        return try Row.fetchAll(try db.cached(sql), arguments: [period, period]).map { row in
            let text: String = row["figures"]
            let figures = try MessageCoding.decoder().decode(RegionalFigures.self, from: Data(text.utf8))
            return RegionalFiguresRecord(
                messageID: row["message_id"], figures: figures, receivedAt: row.instant("received_at"))
        }
    }

    /// The months the coordinator holds figures for, newest first.
    public func regionalPeriods() throws -> [String] {
        try String.fetchAll(try db.cached("SELECT DISTINCT period FROM regional_figures ORDER BY period DESC"))
    }
}

extension StoreTransaction {
    /// At the coordinator: keeps a member's figures (their signed bytes are the message's), audited.
    public func insert(_ record: RegionalFiguresRecord) throws {
        let text = String(decoding: try MessageCoding.encoder().encode(record.figures), as: UTF8.self)
        try db.run(
            sql: """
                INSERT INTO regional_figures (message_id, authority, period, final, sent_at, figures, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.messageID, record.figures.from.rawValue, record.figures.period, record.figures.final,
                record.figures.sentAt.epochMilliseconds, text, record.receivedAt.epochMilliseconds,
            ])
        try appendAudit(
            AuditEvent(
                .figuresReceived, subject: record.messageID,
                detail: ["peer": record.figures.from.rawValue, "period": record.figures.period]),
            at: record.receivedAt)
    }
}
