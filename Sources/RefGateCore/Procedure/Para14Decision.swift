/// What a head of service decided about a case with a concern (para 14: the procedure does not
/// replace action with the regulator or, if necessary, legal action where references were
/// falsified or fitness to practise is in doubt).
public enum Para14Decision: String, Codable, Sendable, CaseIterable, Hashable {
    /// Referred to Social Work England or the candidate's regulator.
    case referredToRegulator = "referred-to-regulator"
    /// Legal advice sought.
    case legalAdviceSought = "legal-advice-sought"
    /// No further action.
    case noFurtherAction = "no-further-action"
    /// Something else; the reason says what.
    case other

    /// What people read.
    public var title: String {
        switch self {
        case .referredToRegulator: "Referred to the regulator"
        case .legalAdviceSought: "Legal advice sought"
        case .noFurtherAction: "No further action"
        case .other: "Other"
        }
    }
}
