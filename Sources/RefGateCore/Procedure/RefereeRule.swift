/// Para 5 applied to the person who gave the reference: references should not be provided by
/// colleagues or first-line managers, and a team manager's reference should be completed
/// and/or approved by a suitably senior manager (a service manager or above). Pure.
///
/// | referee's actual position | approved by a senior manager | qualified social worker | team manager |
/// |---|---|---|---|
/// | colleague | either | no | no |
/// | first-line / team manager | no | no | no |
/// | first-line / team manager | yes | yes | yes |
/// | service manager, head of service or above | either | yes | yes |
/// | other (not a colleague or line manager) | no | yes | no |
/// | other | yes | yes | yes |
public enum RefereeRule {
    /// Whether a reference from a referee in `position` meets para 5 for `candidateRole`.
    public static func meetsPara5(
        position: RefereePosition, approvedBySeniorManager: Bool, candidateRole: CandidateRole
    ) -> Bool {
        switch position {
        case .colleague: false
        case .teamManager: approvedBySeniorManager
        case .serviceManager, .headOfService: true
        case .other: candidateRole == .qualifiedSocialWorker || approvedBySeniorManager
        }
    }

    /// The outcome a response has once para 5 is applied: a reference found genuine
    /// (`verified`) whose referee does not meet para 5 is `referee-ineligible`, which raises
    /// level 1 at the commissioning authority at once (para 10). Other outcomes stand, and so
    /// does any outcome when the findings do not state the referee's position (a message in
    /// the format of release 1.1 or earlier).
    public static func outcome(
        stated: VerificationOutcome, findings: VerificationResponse.Findings, candidateRole: CandidateRole
    ) -> VerificationOutcome {
        guard stated == .verified, let position = findings.refereePosition else { return stated }
        return meetsPara5(
            position: position, approvedBySeniorManager: findings.approvedBySeniorManager ?? false,
            candidateRole: candidateRole) ? .verified : .refereeIneligible
    }
}

/// The referee's actual position when they gave the reference, from the providing authority's
/// records, in the procedure's one structure.
public enum RefereePosition: String, Codable, Sendable, CaseIterable, Hashable {
    /// A colleague (a fellow practitioner).
    case colleague
    /// The candidate's first-line or team manager.
    case teamManager = "team-manager"
    /// A service manager.
    case serviceManager = "service-manager"
    /// A head of service or more senior.
    case headOfService = "head-of-service"
    /// Someone else (HR, a practice manager); the findings' text says who.
    case other

    /// What people read.
    public var title: String {
        switch self {
        case .colleague: "Colleague"
        case .teamManager: "First-line or team manager"
        case .serviceManager: "Service manager"
        case .headOfService: "Head of service or above"
        case .other: "Other"
        }
    }
}
