import Foundation

/// One whole change to a case, as the rules decided it: its new status and answer, its new
/// escalation level, and which of its open escalations close. The store applies it as given
/// (`StoreTransaction.apply`), and nothing else writes a case's status or level. Pure.
public struct CaseTransition: Sendable, Hashable {
    /// Why the case changes, as its audit entries say.
    public enum Cause: Sendable, Hashable {
        /// A response (sent or received) answered it.
        case response(messageID: String)
        /// An escalation was raised at a level.
        case escalation(level: Int)
        /// The ladder is spent (para 14).
        case exhausted
    }

    /// Which open escalations close.
    public enum Closing: Sendable, Hashable {
        /// Those below this level: a higher level replaces them.
        case below(Int)
        /// All of them.
        case all
    }

    /// The case.
    public var caseID: String
    /// Why.
    public var cause: Cause
    /// The new status, if it changes.
    public var status: CaseStatus?
    /// The new escalation level.
    public var escalationLevel: Int
    /// Which open escalations close.
    public var closing: Closing

    /// Creates a transition; the rules' own constructors below are what the engine uses.
    public init(caseID: String, cause: Cause, status: CaseStatus? = nil, escalationLevel: Int, closing: Closing) {
        self.caseID = caseID
        self.cause = cause
        self.status = status
        self.escalationLevel = escalationLevel
        self.closing = closing
    }

    /// The message that answered the case, when a response caused the change.
    public var responseMessageID: String? {
        if case .response(let id) = cause { return id }
        return nil
    }
}

extension ResponseRules.Effect {
    /// The effect as a transition of `caseID`, caused by response `messageID`: the new status,
    /// level 0, every open escalation closed (an answer resolves the chase, paras 11 and 13).
    public func transition(caseID: String, response messageID: String) -> CaseTransition {
        CaseTransition(
            caseID: caseID, cause: .response(messageID: messageID), status: status,
            escalationLevel: escalationLevel, closing: .all)
    }
}

extension EscalationRules {
    /// Raising an escalation at `level` (checked already by `check(raising:…)` or
    /// `check(receiving:…)`): the case goes to that level and lower open levels close.
    public static func transition(raising level: Int, caseID: String) -> CaseTransition {
        CaseTransition(caseID: caseID, cause: .escalation(level: level), escalationLevel: level, closing: .below(level))
    }

    /// The ladder spent (para 14): every open escalation closes and the case is at `exhausted`.
    public static func transition(exhausting caseID: String) -> CaseTransition {
        CaseTransition(caseID: caseID, cause: .exhausted, escalationLevel: exhausted, closing: .all)
    }
}
