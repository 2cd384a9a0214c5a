/// Something that happens to a case.
public enum CaseEvent: Sendable, Hashable {
    /// This node sent the response with this outcome (responder side).
    case responseSent(VerificationOutcome)
    /// This node received the response with this outcome (requester side).
    case responseReceived(VerificationOutcome)
}
