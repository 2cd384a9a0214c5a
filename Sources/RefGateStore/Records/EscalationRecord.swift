import Foundation
import GRDB
import RefGateCore

/// One step up the ladder, as either authority holds it.
public struct EscalationRecord: Sendable, Hashable, FetchableRecord {
    /// Shared by both authorities.
    public var id: String
    /// The case it escalates.
    public var caseID: String
    /// 1 or 2.
    public var level: Int
    /// Why it was raised (which rule of paras 10–13).
    public var reason: EscalationReason
    /// The role addressed.
    public var role: EscalationRole
    /// Who raised it.
    public var raisedBy: Person
    /// The raiser's note, in their words (not sent to the peer's people unless in the notice).
    public var note: String?
    /// When it was raised (or, on the providing side, received).
    public var raisedAt: Date
    /// This level's deadline.
    public var dueAt: Date
    /// The notice message.
    public var noticeMessageID: String
    /// When a role holder acknowledged it.
    public var acknowledgedAt: Date?
    /// Who acknowledged it first; later acknowledgements are not recorded.
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

    /// Maps its row by hand: its columns differ from its properties.
    public init(row: Row) throws {
        id = row["id"]
        caseID = row["case_id"]
        level = row["level"]
        let reasonText: String = row["reason"]
        let roleText: String = row["role"]
        guard let reason = EscalationReason(rawValue: reasonText), let role = EscalationRole(rawValue: roleText) else {
            throw RefGateError(.storedDataUnknown, "stored escalation \(id) is unknown to this version")
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

extension EscalationRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "escalations"

    /// Its columns, as `init(row:)` reads them: each person in two.
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["case_id"] = caseID
        container["level"] = level
        container["reason"] = reason.rawValue
        container["role"] = role.rawValue
        container["raised_by_name"] = raisedBy.name
        container["raised_by_role"] = raisedBy.role
        container["note"] = note
        container["raised_at"] = raisedAt.epochMilliseconds
        container["due_at"] = dueAt.epochMilliseconds
        container["notice_message_id"] = noticeMessageID
        container["acknowledged_at"] = acknowledgedAt?.epochMilliseconds
        container["acknowledged_by_name"] = acknowledgedBy?.name
        container["acknowledged_by_role"] = acknowledgedBy?.role
        container["closed_at"] = closedAt?.epochMilliseconds
        container["next_reminder_at"] = nextReminderAt?.epochMilliseconds
    }
}
