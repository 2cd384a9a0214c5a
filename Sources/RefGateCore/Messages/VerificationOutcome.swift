/// What the providing authority found when it checked a reference.
public enum VerificationOutcome: String, Codable, Sendable, CaseIterable {
    /// The reference came from the named referee, who was suitable.
    case verified
    /// The authority could not confirm the reference: it did not come from there, or facts differ.
    case notVerified = "not-verified"
    /// The reference came from a colleague or first-line manager (para 5, 10).
    case refereeIneligible = "referee-ineligible"
    /// The authority cannot say either way (records unavailable, referee left, …).
    case unableToVerify = "unable-to-verify"
}
