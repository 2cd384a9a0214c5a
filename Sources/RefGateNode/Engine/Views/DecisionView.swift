import Foundation
import RefGateCore
import RefGateStore

/// A para 14 decision as the local API shows it.
public struct DecisionView: Codable, Sendable, Hashable {
    /// Its id.
    public var id: String
    /// What was decided.
    public var decision: Para14Decision
    /// Why.
    public var reason: String
    /// Who decided.
    public var decidedBy: Person
    /// Their user account, if a person signed in.
    public var decidedByUser: String?
    /// When.
    public var decidedAt: Date

    /// The view of a stored record.
    public init(_ record: DecisionRecord) {
        id = record.id
        decision = record.decision
        reason = record.reason
        decidedBy = record.decidedBy
        decidedByUser = record.decidedByUser
        decidedAt = record.decidedAt
    }
}

/// A legal hold as the local API shows it.
public struct LegalHoldView: Codable, Sendable, Hashable {
    /// Why.
    public var reason: String
    /// Who set it.
    public var setBy: Person
    /// Their user account, if a person signed in.
    public var setByUser: String?
    /// When.
    public var setAt: Date

    /// The view of a stored record.
    public init(_ record: LegalHoldRecord) {
        reason = record.reason
        setBy = record.setBy
        setByUser = record.setByUser
        setAt = record.setAt
    }
}
