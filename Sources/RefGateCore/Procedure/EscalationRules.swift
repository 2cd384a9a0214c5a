/// Who may raise which escalation, and when (paras 10–13). Pure.
///
/// Only the commissioning authority raises escalations; the providing authority receives them.
/// A case's `escalationLevel` is 0 (none), 1 (service managers), 2 (heads of service) or
/// 3 (the ladder is spent).
public enum EscalationRules {
    /// The level meaning the ladder is spent (para 14: regulator or legal route is a human decision).
    public static let exhausted = 3

    /// Throws `invalid-input` unless a person may raise `reason`: people judge a response
    /// unsatisfactory (para 11) or a concern serious (para 13); the node itself raises the
    /// deadline escalations (paras 11, 13) and the suitable-reference one (para 10).
    public static func check(personRaising reason: EscalationReason) throws {
        guard reason.raisedByPerson else {
            throw RefGateError(
                .invalidInput,
                "\(reason.rawValue) is raised by the node itself; people raise unsatisfactory-response or serious-concern"
            )
        }
    }

    /// Throws `invalid-transition` unless an escalation notice a peer sent fits the case this
    /// authority owes it, at `currentLevel`: a level above the case's, the reason of that level
    /// (para 11 for level 1, para 13 for level 2), addressed to that level's role.
    public static func check(
        receiving level: Int, reason: EscalationReason, addressedTo role: EscalationRole, currentLevel: Int,
        caseID: String
    ) throws {
        guard level > currentLevel, reason.level == level, role == EscalationRole(level: level) else {
            throw RefGateError(
                .invalidTransition,
                "a level \(level) \(reason.rawValue) notice to \(role.rawValue)s does not fit case \(caseID) at level \(currentLevel)"
            )
        }
    }

    /// Throws `role-forbidden` unless a person holding `role` may acknowledge an escalation
    /// addressed to `addressedTo`: equivalent managers answer each other, service manager to
    /// service manager (para 11), head of service to head of service (para 13). `nil` is the
    /// node itself (its own token), which may act for either role.
    public static func check(acknowledging addressedTo: EscalationRole, as role: EscalationRole?) throws {
        guard let role, role != addressedTo else { return }
        throw RefGateError(
            .roleForbidden, "the escalation is addressed to the \(addressedTo.rawValue), not to a \(role.rawValue)")
    }

    /// Throws `invalid-transition` saying why `reason` cannot be raised now.
    public static func check(raising reason: EscalationReason, side: CaseSide, status: CaseStatus, currentLevel: Int)
        throws
    {
        guard side == .requester else {
            throw RefGateError(
                .invalidTransition,
                "only the commissioning authority escalates; this authority owes the answer to case it was asked")
        }
        guard currentLevel < reason.level else {
            throw RefGateError(
                .invalidTransition,
                "the case is already at \(currentLevel >= exhausted ? "the end of the ladder" : "level \(currentLevel)"); \(reason.rawValue) is level \(reason.level)"
            )
        }
        switch reason {
        case .responseOverdue:
            guard status == .awaitingResponse else {
                throw RefGateError(.invalidTransition, "the case has been answered; it is not overdue")
            }
        case .suitableReferenceRequired:
            guard status == .refereeIneligible else {
                throw RefGateError(
                    .invalidTransition,
                    "a suitable reference is asked for only when the referee was ineligible (para 10)")
            }
        case .unsatisfactoryResponse:
            guard status.isAnswered else {
                throw RefGateError(.invalidTransition, "there is no response yet to judge unsatisfactory")
            }
        case .levelOneOverdue:
            guard currentLevel == 1 else {
                throw RefGateError(.invalidTransition, "level 1 has not been raised, so it cannot be overdue")
            }
        case .seriousConcern:
            break  // para 13: straight to heads of service, whatever the case's state
        }
    }
}
