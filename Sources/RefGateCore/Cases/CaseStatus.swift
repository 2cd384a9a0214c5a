/// Where a case stands (DESIGN §2). Both authorities hold the case, each from its side.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    /// The request has been sent (requester) or received (responder); no answer yet.
    case awaitingResponse = "awaiting-response"
    /// Answered: the reference is verified.
    case verified
    /// Answered: the reference could not be confirmed.
    case notVerified = "not-verified"
    /// Answered: the referee was a colleague or first-line manager (para 5).
    case refereeIneligible = "referee-ineligible"
    /// Answered: the authority could not say.
    case unableToVerify = "unable-to-verify"

    /// The status an outcome leads to.
    public init(outcome: VerificationOutcome) {
        switch outcome {
        case .verified: self = .verified
        case .notVerified: self = .notVerified
        case .refereeIneligible: self = .refereeIneligible
        case .unableToVerify: self = .unableToVerify
        }
    }

    /// Whether the case has been answered.
    public var isAnswered: Bool { self != .awaitingResponse }
}
