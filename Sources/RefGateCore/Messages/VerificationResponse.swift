import Foundation

/// The providing authority's answer to a verification request.
public struct VerificationResponse: Codable, Sendable, Hashable {
    /// Always `verification-response`.
    public var type: MessageKind = .verificationResponse
    /// This message's unique id (UUID).
    public var id: String
    /// The case answered.
    public var caseId: String
    /// The providing authority.
    public var from: AuthorityID
    /// The commissioning authority.
    public var to: AuthorityID
    /// When the message was signed.
    public var sentAt: Date
    /// The id of the request answered.
    public var inReplyTo: String
    /// The verdict.
    public var outcome: VerificationOutcome
    /// What the responder found.
    public var findings: Findings
    /// Who answered.
    public var responder: Responder

    /// Creates a response.
    public init(
        id: String, caseId: String, from: AuthorityID, to: AuthorityID, sentAt: Date, inReplyTo: String,
        outcome: VerificationOutcome, findings: Findings, responder: Responder
    ) {
        self.id = id
        self.caseId = caseId
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.inReplyTo = inReplyTo
        self.outcome = outcome
        self.findings = findings
        self.responder = responder
    }

    /// The responder's findings.
    public struct Findings: Codable, Sendable, Hashable {
        /// Whether the named referee really wrote the reference.
        public var authoredByReferee: Bool
        /// The referee's actual role at the time, from the authority's records.
        public var refereeActualRole: String
        /// Whether the placement dates match the records.
        public var placementDatesConfirmed: Bool
        /// Concerns the responder wants the commissioning authority to know, if any.
        public var concerns: String?
        /// The referee's actual position, structured, for para 5 (since release 1.2; sent only to
        /// peers that read it).
        public var refereePosition: RefereePosition?
        /// Whether a suitably senior manager completed or approved the reference (para 5).
        public var approvedBySeniorManager: Bool?
        /// Creates findings.
        public init(
            authoredByReferee: Bool, refereeActualRole: String, placementDatesConfirmed: Bool, concerns: String?,
            refereePosition: RefereePosition? = nil, approvedBySeniorManager: Bool? = nil
        ) {
            self.authoredByReferee = authoredByReferee
            self.refereeActualRole = refereeActualRole
            self.placementDatesConfirmed = placementDatesConfirmed
            self.concerns = concerns
            self.refereePosition = refereePosition
            self.approvedBySeniorManager = approvedBySeniorManager
        }

        /// The findings as a peer of release 1.1 or earlier reads them: without the fields
        /// added since, which its schema refuses.
        public var previousFormat: Self {
            var findings = self
            findings.refereePosition = nil
            findings.approvedBySeniorManager = nil
            return findings
        }
    }

    /// The person who answered.
    public struct Responder: Codable, Sendable, Hashable {
        /// Their name, as the commissioning authority will see it.
        public var name: String
        /// Managerial role; para 5 sets a minimum for team-manager references.
        public var role: ManagerRole
        /// Creates a responder.
        public init(name: String, role: ManagerRole) {
            self.name = name
            self.role = role
        }
    }
}
