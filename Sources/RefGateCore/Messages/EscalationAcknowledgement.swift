import Foundation

/// A holder of the addressed role acknowledges an escalation; it stops reminders.
public struct EscalationAcknowledgement: Codable, Sendable, Hashable {
    /// Always `escalation-acknowledgement`.
    public var type: MessageKind = .escalationAcknowledgement
    /// This message's id.
    public var id: String
    /// The case.
    public var caseId: String
    /// The providing authority.
    public var from: AuthorityID
    /// The commissioning authority.
    public var to: AuthorityID
    /// When signed.
    public var sentAt: Date
    /// The escalation acknowledged.
    public var escalationId: String
    /// Who acknowledged it.
    public var acknowledgedBy: Person

    /// Creates an acknowledgement.
    public init(
        id: String, caseId: String, from: AuthorityID, to: AuthorityID, sentAt: Date, escalationId: String,
        acknowledgedBy: Person
    ) {
        self.id = id
        self.caseId = caseId
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.escalationId = escalationId
        self.acknowledgedBy = acknowledgedBy
    }
}
