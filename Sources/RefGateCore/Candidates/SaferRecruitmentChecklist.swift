import Foundation

/// Para 9: the safer-recruitment checks the commissioning authority records for a candidate.
public struct SaferRecruitmentChecklist: Codable, Sendable, Hashable {
    /// The DBS check has been reviewed.
    public var dbsReviewed: Bool
    /// References from previous permanent employers are present.
    public var permanentEmployerReferences: Bool
    /// Gaps in employment have been robustly challenged.
    public var employmentGapsChallenged: Bool

    /// Creates a checklist.
    public init(dbsReviewed: Bool, permanentEmployerReferences: Bool, employmentGapsChallenged: Bool) {
        self.dbsReviewed = dbsReviewed
        self.permanentEmployerReferences = permanentEmployerReferences
        self.employmentGapsChallenged = employmentGapsChallenged
    }

    /// Nothing checked yet.
    public static let empty = SaferRecruitmentChecklist(
        dbsReviewed: false, permanentEmployerReferences: false, employmentGapsChallenged: false)

    /// What is still missing, in words, with the paragraph.
    public var missing: [String] {
        var missing: [String] = []
        if !dbsReviewed { missing.append("the DBS check has not been reviewed (para 9)") }
        if !permanentEmployerReferences {
            missing.append("references from previous permanent employers are not confirmed present (para 9)")
        }
        if !employmentGapsChallenged { missing.append("gaps in employment have not been challenged (para 9)") }
        return missing
    }
}
