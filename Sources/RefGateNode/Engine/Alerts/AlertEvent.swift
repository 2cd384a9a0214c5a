/// The alerts a person may turn off for themselves (escalations always go).
public enum AlertEvent: String, Codable, Sendable, CaseIterable, Hashable {
    /// A request arrived for this authority to answer (to its responders).
    case requestArrived = "request-arrived"
    /// A peer answered a request this authority sent (to the requester and the recruiters).
    case answerArrived = "answer-arrived"
    /// A candidate is now cleared for appointment (to the recruiters).
    case candidateCleared = "candidate-cleared"
    /// A candidate can no longer be cleared as things stand (to the recruiters).
    case candidateBlocked = "candidate-blocked"
    /// An answer this authority owes is due within one working day (to whoever owes it).
    case deadlineNear = "deadline-near"

    /// What it is, for the "My alerts" page.
    public var description: String {
        switch self {
        case .requestArrived: "A request arrives for us to answer"
        case .answerArrived: "An authority answers one of our requests"
        case .candidateCleared: "A candidate is cleared for appointment"
        case .candidateBlocked: "A candidate can no longer be cleared as things stand"
        case .deadlineNear: "An answer we owe is due within one working day"
        }
    }
}
