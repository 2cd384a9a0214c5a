import Foundation

/// Paras 6–7: a reference verified "verbally, in writing or both" outside the signed exchange —
/// with an authority outside the region, an employer that is not a local authority, or by
/// telephone while the signed request is still on its way. The appointment gate counts it and
/// says so.
public struct OfflineVerification: Codable, Sendable, Hashable {
    /// How it was verified.
    public enum Method: String, Codable, Sendable, CaseIterable, Hashable {
        /// By telephone (verbally).
        case telephone
        /// In writing (a letter or an e-mail).
        case inWriting = "in-writing"
        /// Both.
        case telephoneAndWriting = "telephone-and-writing"

        /// What people read.
        public var title: String {
            switch self {
            case .telephone: "by telephone"
            case .inWriting: "in writing"
            case .telephoneAndWriting: "by telephone and in writing"
            }
        }
    }

    /// Its id.
    public var id: String
    /// The candidate's key.
    public var registration: String
    /// The signed-exchange case it stands for, when the referee's authority is a member.
    public var caseID: String?
    /// How.
    public var method: Method
    /// The person spoken or written to.
    public var verifiedWithName: String
    /// Their authority or employer (inside or outside the region).
    public var verifiedWithOrganisation: String
    /// When the verification took place (`YYYY-MM-DD`).
    public var verifiedOn: String
    /// SHA-256 (hex) of a document attached to the record, such as the written confirmation.
    public var documentSHA256: String?
    /// Who recorded it.
    public var recordedBy: Person
    /// When it was recorded.
    public var recordedAt: Date

    /// Creates a record.
    public init(
        id: String, registration: String, caseID: String?, method: Method, verifiedWithName: String,
        verifiedWithOrganisation: String, verifiedOn: String, documentSHA256: String?, recordedBy: Person,
        recordedAt: Date
    ) {
        self.id = id
        self.registration = registration
        self.caseID = caseID
        self.method = method
        self.verifiedWithName = verifiedWithName
        self.verifiedWithOrganisation = verifiedWithOrganisation
        self.verifiedOn = verifiedOn
        self.documentSHA256 = documentSHA256
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}
