import Foundation
import RefGateCore
import RefGateStore

/// An escalation as the local API shows it.
public struct EscalationView: Codable, Sendable, Hashable {
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
    /// The raiser's note.
    public var note: String?
    /// When it was raised (or, on the providing side, received).
    public var raisedAt: Date
    /// This level's deadline.
    public var dueAt: Date
    /// The notice message.
    public var noticeMessageID: String
    /// When a role holder acknowledged it.
    public var acknowledgedAt: Date?
    /// Who acknowledged it first.
    public var acknowledgedBy: Person?
    /// When a response, or the next level, closed it.
    public var closedAt: Date?
    /// Providing side: when the role holders are reminded next.
    public var nextReminderAt: Date?

    /// The view of a stored record.
    public init(_ record: EscalationRecord) {
        id = record.id
        caseID = record.caseID
        level = record.level
        reason = record.reason
        role = record.role
        raisedBy = record.raisedBy
        note = record.note
        raisedAt = record.raisedAt
        dueAt = record.dueAt
        noticeMessageID = record.noticeMessageID
        acknowledgedAt = record.acknowledgedAt
        acknowledgedBy = record.acknowledgedBy
        closedAt = record.closedAt
        nextReminderAt = record.nextReminderAt
    }
}
