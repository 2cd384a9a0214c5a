import Foundation
import GRDB
import RefGateCore

/// Read access inside a snapshot or transaction.
public struct StoreReader {
    let db: SQLSession

    /// A case by id.
    public func `case`(_ id: String) throws -> CaseRecord? {
        try CaseRecord.fetchOne(try db.cached("SELECT * FROM cases WHERE id = ?"), arguments: [id])
    }

    /// Cases, newest first, optionally only those in a status or on a side.
    public func cases(status: CaseStatus? = nil, side: CaseSide? = nil, limit: Int = 500) throws -> [CaseRecord] {
        var clauses: [String] = []
        var arguments: SQLArguments = []
        if let status {
            clauses.append("status = ?")
            arguments += [status.rawValue]
        }
        if let side {
            clauses.append("side = ?")
            arguments += [side.rawValue]
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [limit]
        return try CaseRecord.fetchAll(
            try db.cached("SELECT * FROM cases \(filter) ORDER BY created_at DESC, id LIMIT ?"), arguments: arguments
        )
    }

    /// A message by id.
    public func message(_ id: String) throws -> MessageRecord? {
        try MessageRecord.fetchOne(try db.cached("SELECT * FROM messages WHERE id = ?"), arguments: [id])
    }

    /// The messages of `ids` that are held, by id: up to 64 a statement.
    public func messages(ids: [String]) throws -> [String: MessageRecord] {
        var found: [String: MessageRecord] = [:]
        for keys in KeyList.chunks(ids) {
            for message in try MessageRecord.fetchAll(
                try db.cached("SELECT * FROM messages WHERE id IN (\(keys.placeholders))"), arguments: keys.arguments)
            {
                found[message.id] = message
            }
        }
        return found
    }

    /// Which of `ids` are cases held here: up to 64 a statement.
    public func caseIDs(among ids: [String]) throws -> Set<String> {
        var found: Set<String> = []
        for keys in KeyList.chunks(ids) {
            for value in try db.cached("SELECT id FROM cases WHERE id IN (\(keys.placeholders))")
                .firstColumn(keys.arguments)
            {
                if let id = String.fromDatabaseValue(value) { found.insert(id) }
            }
        }
        return found
    }

    /// A case's messages in the order they were recorded.
    public func messages(caseID: String) throws -> [MessageRecord] {
        try MessageRecord.fetchAll(
            try db.cached("SELECT * FROM messages WHERE case_id = ? ORDER BY recorded_at, rowid"), arguments: [caseID]
        )
    }

    /// The receipt for a message.
    public func receipt(messageID: String) throws -> ReceiptRecord? {
        try ReceiptRecord.fetchOne(try db.cached("SELECT * FROM receipts WHERE message_id = ?"), arguments: [messageID])
    }

    /// The highest directory version this node has installed.
    public func highestDirectoryVersion() throws -> Int? {
        try Int.fetchOne(try db.cached("SELECT MAX(version) FROM directory_versions"))
    }

    /// Cases whose next deadline or reminder is due, earliest first (the partial index `cases_next_due`).
    public func dueCaseIDs(now: Date, limit: Int) throws -> [String] {
        try String.fetchAll(
            try db.cached("SELECT id FROM cases WHERE next_due <= ? ORDER BY next_due LIMIT ?"),
            arguments: [now.epochMilliseconds, limit])
    }

    /// The earliest pending deadline or reminder of any case.
    public func nextCaseDue() throws -> Date? {
        try Int64.fetchOne(try db.cached("SELECT MIN(next_due) FROM cases WHERE next_due IS NOT NULL"))
            .map(Date.init(epochMilliseconds:))
    }

    /// A case's `next_due`.
    public func nextDue(caseID: String) throws -> Date? {
        try Int64.fetchOne(try db.cached("SELECT next_due FROM cases WHERE id = ?"), arguments: [caseID])
            .map(Date.init(epochMilliseconds:))
    }
}

extension StoreReader {
    /// Every case still awaiting a response, on either side, with the due time of its latest
    /// escalation (nil when it has none).
    public func awaitingCases() throws -> [(record: CaseRecord, escalationDue: Date?)] {
        try Row.fetchAll(
            try db.cached(
                """
                SELECT c.*, (SELECT e.due_at FROM escalations e WHERE e.case_id = c.id ORDER BY e.level DESC LIMIT 1)
                    AS escalation_due
                FROM cases c WHERE c.status = 'awaiting-response' ORDER BY c.respond_by, c.id
                """)
        ).map { row in
            (try CaseRecord(row: row), (row["escalation_due"] as Int64?).map(Date.init(epochMilliseconds:)))
        }
    }
}
