import Foundation

/// Para 3: a concern an authority records about an employing agency's conduct or practice.
/// Kept under the retention rules, seen by the authority's managers, and counted (by category,
/// never by text) in the figures the region sees.
public struct AgencyConcern: Codable, Sendable, Hashable {
    /// What the concern is about.
    public enum Category: String, Codable, Sendable, CaseIterable {
        /// References from colleagues or first-line managers, or not genuine (paras 5, 10).
        case references
        /// Safer-recruitment checks not done or not evidenced (para 9).
        case saferRecruitment = "safer-recruitment"
        /// The candidate was put forward before references were verified (para 8).
        case appointmentBeforeVerification = "appointment-before-verification"
        /// The agency's conduct (communication, honesty, behaviour).
        case conduct
        /// The practice of the workers the agency supplies.
        case practice
        /// Anything else.
        case other

        /// Words for a page.
        public var title: String {
            switch self {
            case .references: "References (paras 5, 10)"
            case .saferRecruitment: "Safer recruitment (para 9)"
            case .appointmentBeforeVerification: "Put forward before verification (para 8)"
            case .conduct: "Conduct"
            case .practice: "Practice"
            case .other: "Other"
            }
        }
    }

    /// Its id.
    public var id: String
    /// The agency.
    public var agency: CompaniesHouseNumber
    /// What it is about.
    public var category: Category
    /// A short account, up to 1,000 characters (personal data: purged with retention).
    public var text: String
    /// Who recorded it.
    public var recordedBy: String
    /// Their role.
    public var recordedByRole: String
    /// When.
    public var recordedAt: Date

    /// Creates a concern.
    public init(
        id: String, agency: CompaniesHouseNumber, category: Category, text: String, recordedBy: String,
        recordedByRole: String, recordedAt: Date
    ) {
        self.id = id
        self.agency = agency
        self.category = category
        self.text = text
        self.recordedBy = recordedBy
        self.recordedByRole = recordedByRole
        self.recordedAt = recordedAt
    }
}
