import Foundation

/// A request to verify one reference (DESIGN §2): commissioning authority `from` asks
/// providing authority `to` whether the reference came from it, from whom, and whether
/// the referee was suitable.
public struct VerificationRequest: Codable, Sendable, Hashable {
    /// Always `verification-request`.
    public var type: MessageKind = .verificationRequest
    /// This message's unique id (UUID).
    public var id: String
    /// The case this request opens (UUID, shared by both authorities).
    public var caseId: String
    /// The commissioning authority.
    public var from: AuthorityID
    /// The providing authority.
    public var to: AuthorityID
    /// When the message was signed.
    public var sentAt: Date
    /// The response deadline.
    public var respondBy: Date
    /// The candidate whose reference this is.
    public var candidate: Candidate
    /// The role the candidate is being appointed to.
    public var role: CandidateRole
    /// The employment agency that put the candidate forward.
    public var agency: Agency
    /// The reference to verify.
    public var reference: Reference
    /// Who at the commissioning authority is asking.
    public var requester: Requester

    /// Creates a request.
    public init(
        id: String, caseId: String, from: AuthorityID, to: AuthorityID, sentAt: Date, respondBy: Date,
        candidate: Candidate, role: CandidateRole, agency: Agency, reference: Reference, requester: Requester
    ) {
        self.id = id
        self.caseId = caseId
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.respondBy = respondBy
        self.candidate = candidate
        self.role = role
        self.agency = agency
        self.reference = reference
        self.requester = requester
    }

    /// The candidate.
    public struct Candidate: Codable, Sendable, Hashable {
        /// Full name.
        public var name: String
        /// Professional registration.
        public var registration: Registration
        /// Creates a candidate.
        public init(name: String, registration: Registration) {
            self.name = name
            self.registration = registration
        }
    }

    /// A professional registration, e.g. Social Work England `SW12345`.
    public struct Registration: Codable, Sendable, Hashable {
        /// The registering body: `social-work-england`, `social-care-wales`,
        /// `scottish-social-services-council` or `northern-ireland-social-care-council`.
        public var body: String
        /// The registration number.
        public var number: String
        /// Creates a registration.
        public init(body: String, number: String) {
            self.body = body
            self.number = number
        }

        /// The candidate's key at a node (``ProfessionalRegistration/key``); the number itself
        /// for a registration no regulator's rule accepts (the schema has refused those).
        public var key: String { (try? ProfessionalRegistration(body: body, number: number))?.key ?? number }
    }

    /// The employment agency.
    public struct Agency: Codable, Sendable, Hashable {
        /// The agency's name.
        public var name: String
        /// Its Companies House number: the agency's key across the region (release 1.3.0 on;
        /// sent only to peers known to read it).
        public var companiesHouseNumber: CompaniesHouseNumber?
        /// Creates an agency.
        public init(name: String, companiesHouseNumber: CompaniesHouseNumber? = nil) {
            self.name = name
            self.companiesHouseNumber = companiesHouseNumber
        }
    }

    /// The reference under verification.
    public struct Reference: Codable, Sendable, Hashable {
        /// The referee's name as given on the reference.
        public var refereeName: String
        /// The referee's role as stated on the reference.
        public var refereeStatedRole: String
        /// The team the candidate worked in.
        public var team: String
        /// First day of the placement (`YYYY-MM-DD`).
        public var placementStart: String
        /// Last day of the placement (`YYYY-MM-DD`).
        public var placementEnd: String
        /// When the reference was given (`YYYY-MM-DD`).
        public var dateGiven: String
        /// Creates a reference.
        public init(
            refereeName: String, refereeStatedRole: String, team: String, placementStart: String,
            placementEnd: String, dateGiven: String
        ) {
            self.refereeName = refereeName
            self.refereeStatedRole = refereeStatedRole
            self.team = team
            self.placementStart = placementStart
            self.placementEnd = placementEnd
            self.dateGiven = dateGiven
        }
    }

    /// The person asking.
    public struct Requester: Codable, Sendable, Hashable {
        /// Their name, as the responder will see it.
        public var name: String
        /// Job title.
        public var role: String
        /// E-mail address.
        public var email: String
        /// Creates a requester.
        public init(name: String, role: String, email: String) {
            self.name = name
            self.role = role
            self.email = email
        }
    }
}
