import Foundation

/// Para 9 from the agency itself: its confirmation that it reviewed the candidate's DBS check,
/// holds references from previous permanent employers and challenged gaps in employment, with
/// who confirmed, when and how. The commissioning authority's own checklist is separate
/// (``SaferRecruitmentChecklist``); the gate shows both.
public struct AgencyChecks: Codable, Sendable, Hashable {
    /// How the agency's confirmation reached the authority.
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// The agency answered by e-mail; the recruiter records the reply.
        case emailReply = "email-reply"
        /// The agency's contact used the one-time link the node sent.
        case oneTimeLink = "one-time-link"
        /// The recruiter records what the agency said (telephone, in person).
        case recruiterOnAgencysWord = "recruiter-on-agencys-word"
    }

    /// The agency's number.
    public var agency: CompaniesHouseNumber
    /// The DBS check was reviewed.
    public var dbsReviewed: Bool
    /// References from previous permanent employers are held.
    public var permanentEmployerReferences: Bool
    /// Gaps in employment were challenged.
    public var employmentGapsChallenged: Bool
    /// The agency's person who confirmed (name, as they gave it).
    public var confirmedBy: String
    /// How.
    public var method: Method
    /// When it was recorded.
    public var confirmedAt: Date
    /// Who at the authority recorded it (the link: nobody).
    public var recordedBy: String?

    /// Creates a confirmation.
    public init(
        agency: CompaniesHouseNumber, dbsReviewed: Bool, permanentEmployerReferences: Bool,
        employmentGapsChallenged: Bool, confirmedBy: String, method: Method, confirmedAt: Date,
        recordedBy: String? = nil
    ) {
        self.agency = agency
        self.dbsReviewed = dbsReviewed
        self.permanentEmployerReferences = permanentEmployerReferences
        self.employmentGapsChallenged = employmentGapsChallenged
        self.confirmedBy = confirmedBy
        self.method = method
        self.confirmedAt = confirmedAt
        self.recordedBy = recordedBy
    }

    /// Whether the agency confirmed all three.
    public var complete: Bool { dbsReviewed && permanentEmployerReferences && employmentGapsChallenged }

    /// What the agency did not confirm, in words.
    public var missing: [String] {
        var missing: [String] = []
        if !dbsReviewed { missing.append("the agency has not confirmed it reviewed the DBS check (para 9)") }
        if !permanentEmployerReferences {
            missing.append("the agency has not confirmed references from previous permanent employers (para 9)")
        }
        if !employmentGapsChallenged {
            missing.append("the agency has not confirmed it challenged gaps in employment (para 9)")
        }
        return missing
    }
}
