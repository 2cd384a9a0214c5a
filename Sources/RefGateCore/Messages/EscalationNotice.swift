import Foundation

/// The commissioning authority escalates a case to the equivalent role at the providing authority.
public struct EscalationNotice: Codable, Sendable, Hashable {
    /// Always `escalation-notice`.
    public var type: MessageKind = .escalationNotice
    /// This message's id.
    public var id: String
    /// The case.
    public var caseId: String
    /// The commissioning authority.
    public var from: AuthorityID
    /// The providing authority.
    public var to: AuthorityID
    /// When signed.
    public var sentAt: Date
    /// The escalation's id, shared by both authorities.
    public var escalationId: String
    /// 1 (service managers) or 2 (heads of service).
    public var level: Int
    /// Why the escalation was raised.
    public var reason: EscalationReason
    /// The role addressed at the providing authority.
    public var roleAddressed: EscalationRole
    /// Who raised it (the node itself for deadline escalations).
    public var raisedBy: Person
    /// This level's deadline.
    public var respondBy: Date
    /// Free text from the person who raised it.
    public var note: String?

    /// Creates a notice.
    public init(
        id: String, caseId: String, from: AuthorityID, to: AuthorityID, sentAt: Date, escalationId: String, level: Int,
        reason: EscalationReason, roleAddressed: EscalationRole, raisedBy: Person, respondBy: Date, note: String?
    ) {
        self.id = id
        self.caseId = caseId
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.escalationId = escalationId
        self.level = level
        self.reason = reason
        self.roleAddressed = roleAddressed
        self.raisedBy = raisedBy
        self.respondBy = respondBy
        self.note = note
    }
}
