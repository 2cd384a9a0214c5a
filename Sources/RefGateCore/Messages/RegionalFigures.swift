import Foundation

/// A node's figures for one calendar month, signed and sent to the region's coordinator
/// (`regional-figures.schema.json`): counts only, per peer authority and per agency, with no
/// names of people and no registration numbers, so the region sees how the procedure is kept
/// (paras 1 and 3) without personal data moving. A later message for the same month replaces
/// an earlier one at the coordinator; every one is kept with its signature.
public struct RegionalFigures: Codable, Sendable, Hashable {
    /// Always `regional-figures`.
    public var type: MessageKind = .regionalFigures
    /// This message's id.
    public var id: String
    /// The authority whose figures these are.
    public var from: AuthorityID
    /// The coordinator.
    public var to: AuthorityID
    /// When signed.
    public var sentAt: Date
    /// The month, `YYYY-MM` (London dates): cases whose request was signed in it.
    public var period: String
    /// Whether the month had ended when signed (a final figure) or not (so far).
    public var final: Bool
    /// Exchanges with each peer.
    public var peers: [Peer]
    /// Candidates of each agency, as the sender commissioned them.
    public var agencies: [Agency]

    /// Creates the figures.
    public init(
        id: String, from: AuthorityID, to: AuthorityID, sentAt: Date, period: String, final: Bool, peers: [Peer],
        agencies: [Agency]
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.period = period
        self.final = final
        self.peers = peers
        self.agencies = agencies
    }

    /// Outcomes of answered requests.
    public struct Outcomes: Codable, Sendable, Hashable {
        /// `verified`.
        public var verified = 0
        /// `not-verified`.
        public var notVerified = 0
        /// `referee-ineligible`.
        public var refereeIneligible = 0
        /// `unable-to-verify`.
        public var unableToVerify = 0

        /// None yet.
        public init() {}

        /// Counts one more answer.
        public mutating func add(_ outcome: VerificationOutcome) {
            switch outcome {
            case .verified: verified += 1
            case .notVerified: notVerified += 1
            case .refereeIneligible: refereeIneligible += 1
            case .unableToVerify: unableToVerify += 1
            }
        }

        /// Adds another's counts.
        public mutating func add(_ other: Outcomes) {
            verified += other.verified
            notVerified += other.notVerified
            refereeIneligible += other.refereeIneligible
            unableToVerify += other.unableToVerify
        }

        /// All answers.
        public var total: Int { verified + notVerified + refereeIneligible + unableToVerify }
    }

    /// The requests the sender made of one peer (the peer's answers), and the requests the
    /// peer made of the sender (the sender's answers).
    public struct Peer: Codable, Sendable, Hashable {
        /// The peer.
        public var authority: AuthorityID
        /// Requests the sender made of the peer.
        public var requestsSent = 0
        /// Of those, answered by the deadline the request set.
        public var answeredInTime = 0
        /// Answered after it.
        public var answeredLate = 0
        /// Still unanswered with the deadline passed when the figures were signed.
        public var overdueUnanswered = 0
        /// Reached level 1 (service manager to service manager, para 11).
        public var escalatedLevel1 = 0
        /// Reached level 2 (head of service, para 13).
        public var escalatedLevel2 = 0
        /// Ran out of ladder unanswered (para 14 is a human decision).
        public var laddersSpent = 0
        /// The peer's answers.
        public var outcomes = Outcomes()
        /// Requests the peer made of the sender.
        public var requestsReceived = 0
        /// Of those, the sender answered by the deadline.
        public var weAnsweredInTime = 0
        /// The sender answered after it.
        public var weAnsweredLate = 0

        /// None yet.
        public init(authority: AuthorityID) { self.authority = authority }
    }

    /// The sender's candidates put forward by one agency.
    public struct Agency: Codable, Sendable, Hashable {
        /// Its Companies House number.
        public var companiesHouseNumber: CompaniesHouseNumber
        /// Its registered name (a company's, not a person's).
        public var name: String
        /// Candidates with a request in the month.
        public var candidates = 0
        /// Requests for them.
        public var requests = 0
        /// Their answers.
        public var outcomes = Outcomes()
        /// Candidates of the month now cleared for appointment.
        public var candidatesCleared = 0
        /// Concerns recorded in the month about the agency, by category (para 3).
        public var concerns: [String: Int] = [:]

        /// None yet.
        public init(companiesHouseNumber: CompaniesHouseNumber, name: String) {
            self.companiesHouseNumber = companiesHouseNumber
            self.name = name
        }
    }
}
