import Foundation
import GRDB
import RefGateCore

/// One step up the ladder, as either authority holds it.
public struct EscalationRecord: Sendable, Hashable, Codable {
    /// Shared by both authorities.
    public var id: String
    /// The case.
    public var caseID: String
    /// 1 or 2.
    public var level: Int
    /// Why.
    public var reason: EscalationReason
    /// The role addressed.
    public var role: EscalationRole
    /// Who raised it.
    public var raisedBy: Person
    /// Their note.
    public var note: String?
    /// When.
    public var raisedAt: Date
    /// This level's deadline.
    public var dueAt: Date
    /// The notice message.
    public var noticeMessageID: String
    /// When a role holder acknowledged it.
    public var acknowledgedAt: Date?
    /// Who.
    public var acknowledgedBy: Person?
    /// When a response, or the next level, closed it.
    public var closedAt: Date?
    /// Providing side: when to remind the role holders next, while unacknowledged.
    public var nextReminderAt: Date?

    /// Creates a record.
    public init(
        id: String, caseID: String, level: Int, reason: EscalationReason, role: EscalationRole, raisedBy: Person,
        note: String?, raisedAt: Date, dueAt: Date, noticeMessageID: String
    ) {
        self.id = id
        self.caseID = caseID
        self.level = level
        self.reason = reason
        self.role = role
        self.raisedBy = raisedBy
        self.note = note
        self.raisedAt = raisedAt
        self.dueAt = dueAt
        self.noticeMessageID = noticeMessageID
    }

    init(row: Row) throws {
        id = row["id"]
        caseID = row["case_id"]
        level = row["level"]
        let reasonText: String = row["reason"]
        let roleText: String = row["role"]
        guard let reason = EscalationReason(rawValue: reasonText), let role = EscalationRole(rawValue: roleText) else {
            throw RefGateError(.invalidInput, "stored escalation \(id) is unknown to this version")
        }
        self.reason = reason
        self.role = role
        raisedBy = Person(name: row["raised_by_name"], role: row["raised_by_role"])
        note = row["note"]
        raisedAt = row.instant("raised_at")
        dueAt = row.instant("due_at")
        noticeMessageID = row["notice_message_id"]
        acknowledgedAt = row.optionalInstant("acknowledged_at")
        if let name: String = row["acknowledged_by_name"], let title: String = row["acknowledged_by_role"] {
            acknowledgedBy = Person(name: name, role: title)
        }
        closedAt = row.optionalInstant("closed_at")
        nextReminderAt = row.optionalInstant("next_reminder_at")
    }
}

extension StoreReader {
    /// An escalation by id.
    public func escalation(_ id: String) throws -> EscalationRecord? {
        try Row.fetchOne(try db.cached("SELECT * FROM escalations WHERE id = ?"), arguments: [id]).map(
            EscalationRecord.init(row:))
    }

    /// Escalations, newest first: of one case, or open ones (optionally for one role).
    public func escalations(caseID: String? = nil, openOnly: Bool = false, role: EscalationRole? = nil) throws
        -> [EscalationRecord]
    {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let caseID {
            clauses.append("case_id = ?")
            arguments += [caseID]
        }
        if openOnly { clauses.append("closed_at IS NULL") }
        if let role {
            clauses.append("role = ?")
            arguments += [role.rawValue]
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try Row.fetchAll(
            try db.cached("SELECT * FROM escalations \(filter) ORDER BY raised_at DESC, id"), arguments: arguments
        )
        .map(EscalationRecord.init(row:))
    }
}

extension StoreTransaction {
    /// Records an escalation and raises the case to its level; earlier open levels close.
    public func insert(_ escalation: EscalationRecord) throws {
        try db.run(
            sql: "UPDATE escalations SET closed_at = ? WHERE case_id = ? AND closed_at IS NULL AND level < ?",
            arguments: [escalation.raisedAt.epochMilliseconds, escalation.caseID, escalation.level])
        try db.run(
            sql: """
                INSERT INTO escalations (id, case_id, level, reason, role, raised_by_name, raised_by_role, note,
                    raised_at, due_at, notice_message_id, next_reminder_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                escalation.id, escalation.caseID, escalation.level, escalation.reason.rawValue,
                escalation.role.rawValue, escalation.raisedBy.name, escalation.raisedBy.role, escalation.note,
                escalation.raisedAt.epochMilliseconds, escalation.dueAt.epochMilliseconds,
                escalation.noticeMessageID, escalation.nextReminderAt?.epochMilliseconds,
            ])
        try db.run(
            sql: "UPDATE cases SET escalation_level = ?, updated_at = ? WHERE id = ?",
            arguments: [escalation.level, escalation.raisedAt.epochMilliseconds, escalation.caseID])
        try refreshNextDue(caseID: escalation.caseID)
    }

    /// Records who acknowledged an escalation (the first acknowledgement wins).
    public func acknowledge(escalationID: String, by person: Person, at time: Date) throws {
        try db.run(
            sql: """
                UPDATE escalations SET acknowledged_at = ?, acknowledged_by_name = ?, acknowledged_by_role = ?
                WHERE id = ? AND acknowledged_at IS NULL
                """,
            arguments: [time.epochMilliseconds, person.name, person.role, escalationID])
        if let escalation = try reader.escalation(escalationID) { try refreshNextDue(caseID: escalation.caseID) }
    }

    /// Closes a case's open escalations (a response resolved it) and returns the ones closed.
    @discardableResult
    public func closeEscalations(caseID: String, at time: Date) throws -> [EscalationRecord] {
        let open = try reader.escalations(caseID: caseID, openOnly: true)
        try db.run(
            sql: "UPDATE escalations SET closed_at = ? WHERE case_id = ? AND closed_at IS NULL",
            arguments: [time.epochMilliseconds, caseID])
        try db.run(sql: "UPDATE cases SET escalation_level = 0 WHERE id = ?", arguments: [caseID])
        try refreshNextDue(caseID: caseID)
        return open
    }

    /// Marks the ladder spent: closes the open escalations and sets level 3.
    public func markExhausted(caseID: String, at time: Date) throws {
        try db.run(
            sql: "UPDATE escalations SET closed_at = ? WHERE case_id = ? AND closed_at IS NULL",
            arguments: [time.epochMilliseconds, caseID])
        try db.run(
            sql: "UPDATE cases SET escalation_level = \(EscalationRules.exhausted), updated_at = ? WHERE id = ?",
            arguments: [time.epochMilliseconds, caseID])
        try refreshNextDue(caseID: caseID)
    }

    /// Moves an escalation's next reminder.
    public func scheduleReminder(escalationID: String, at time: Date?) throws {
        try db.run(
            sql: "UPDATE escalations SET next_reminder_at = ? WHERE id = ?",
            arguments: [time?.epochMilliseconds, escalationID])
        if let escalation = try reader.escalation(escalationID) { try refreshNextDue(caseID: escalation.caseID) }
    }

    /// Recomputes a case's `next_due`, the scheduler's index: on the commissioning side, the
    /// response deadline while unanswered and unescalated, else the open level's deadline; on
    /// the providing side, the next reminder of an unacknowledged escalation and the level 2
    /// deadline (after which the ladder is spent).
    public func refreshNextDue(caseID: String) throws {
        guard let record = try reader.case(caseID) else { return }
        let open = try reader.escalations(caseID: caseID, openOnly: true)
        var candidates: [Date] = []
        switch record.side {
        case .requester:
            if record.escalationLevel == 0, record.status == .awaitingResponse { candidates.append(record.respondBy) }
            if (1...2).contains(record.escalationLevel) {
                candidates += open.filter { $0.level == record.escalationLevel }.map(\.dueAt)
            }
        case .responder:
            candidates += open.filter { $0.acknowledgedAt == nil }.compactMap(\.nextReminderAt)
            candidates += open.filter { $0.level == 2 }.map(\.dueAt)
        }
        try db.run(
            sql: "UPDATE cases SET next_due = ? WHERE id = ?",
            arguments: [candidates.min()?.epochMilliseconds, caseID])
    }
}
