import Foundation
import GRDB
import RefGateCore

/// One case as the regional performance page counts it.
public struct CaseTiming: Sendable, Hashable {
    /// The other authority.
    public var peer: AuthorityID
    /// Which side this authority is on.
    public var side: CaseSide
    /// When the request was signed.
    public var requestedAt: Date
    /// When the response was signed, if it has been.
    public var answeredAt: Date?
    /// The highest escalation level the case reached (kept when an answer closes the chase).
    public var highestEscalationLevel: Int
}

extension StoreReader {
    /// The request and response times of every case requested in `[from, to)` (either bound
    /// open when nil), for per-peer performance.
    public func caseTimings(from: Date? = nil, to: Date? = nil) throws -> [CaseTiming] {
        try Row.fetchAll(
            try db.cached(
                """
                SELECT c.peer, c.side, c.highest_escalation_level, q.sent_at AS requested_at,
                    r.sent_at AS answered_at
                FROM cases c
                JOIN messages q ON q.id = c.request_message_id
                LEFT JOIN messages r ON r.id = c.response_message_id
                WHERE q.sent_at >= ? AND q.sent_at < ?
                """),
            arguments: [from?.epochMilliseconds ?? Int64.min, to?.epochMilliseconds ?? Int64.max]
        ).map { row in
            guard let side = CaseSide(rawValue: row["side"]), let peer = AuthorityID(rawValue: row["peer"]) else {
                throw RefGateError(.storedDataUnknown, "a case has an unknown side or peer")
            }
            return CaseTiming(
                peer: peer, side: side, requestedAt: row.instant("requested_at"),
                answeredAt: row.optionalInstant("answered_at"), highestEscalationLevel: row["highest_escalation_level"])
        }
    }
}
