import Foundation

/// Paras 7–8: a candidate may be appointed only when every reference is verified ("verbally,
/// in writing or both"); para 9: and the safer-recruitment checklist is complete. Pure: the
/// node gathers the facts.
public enum AppointmentGate {
    /// How a reference came to count as verified.
    public enum Route: String, Codable, Sendable, Hashable {
        /// The peer's signed response (`verified`).
        case signedExchange = "signed-exchange"
        /// Recorded by the commissioning authority: telephone, writing or both (paras 6–7).
        case outsideTheExchange = "outside-the-exchange"
    }

    /// One reference case of the candidate, as the commissioning authority holds it.
    public struct Reference: Codable, Sendable, Hashable {
        /// The case.
        public var caseId: String
        /// The authority asked.
        public var peer: AuthorityID
        /// Where the case stands.
        public var status: CaseStatus
        /// Its response deadline.
        public var respondBy: Date
        /// How it counts as verified, if it does.
        public var verifiedBy: Route?
        /// The record outside the exchange that verified it, if one did.
        public var offline: OfflineVerification?

        /// Creates a reference summary.
        public init(
            caseId: String, peer: AuthorityID, status: CaseStatus, respondBy: Date, verifiedBy: Route? = nil,
            offline: OfflineVerification? = nil
        ) {
            self.caseId = caseId
            self.peer = peer
            self.status = status
            self.respondBy = respondBy
            self.verifiedBy = verifiedBy
            self.offline = offline
        }
    }

    /// Cleared or blocked.
    public enum Clearance: String, Codable, Sendable {
        /// Every reference verified and the checklist complete: the appointment may be agreed.
        case cleared
        /// Not yet; `reasons` says why.
        case blocked
    }

    /// A candidate's standing.
    public struct Status: Codable, Sendable, Hashable {
        /// Registration number (the candidate's key).
        public var registration: String
        /// Name, from the latest reference request.
        public var name: String?
        /// Role applied for.
        public var role: CandidateRole?
        /// Cleared or blocked.
        public var clearance: Clearance
        /// Why not cleared, each with its paragraph; empty when cleared.
        public var reasons: [String]
        /// The reference cases.
        public var references: [Reference]
        /// References verified outside the exchange with no case here (outside the region, or
        /// not a local authority).
        public var offlineReferences: [OfflineVerification] = []
        /// The para 9 checklist.
        public var checklist: SaferRecruitmentChecklist
        /// The agency that put the candidate forward, if the recruiter gave its number.
        public var agency: CompaniesHouseNumber? = nil
        /// The agency's own para 9 confirmation: who, when and how (shown beside the checklist).
        public var agencyChecks: AgencyChecks? = nil
        /// The para 8 notices sent to the agency and the candidate.
        public var agencyNotices: [AgencyNotice.Kind] = []
    }

    /// Whether a case in `status` may be verified outside the exchange: one still awaiting its
    /// answer or answered "unable to verify"; never one answered that the reference is false or
    /// its referee ineligible (a telephone call does not overturn a signed answer).
    public static func mayVerifyOutside(_ status: CaseStatus) -> Bool {
        status == .awaitingResponse || status == .unableToVerify
    }

    /// Decides whether the candidate is cleared. A case counts when its signed answer is
    /// `verified`, or when a record outside the exchange names it (the signed request still
    /// travels, and the gate says which route verified it); a record naming no case is a
    /// reference of its own.
    public static func evaluate(
        registration: String, name: String?, role: CandidateRole?, references: [Reference],
        checklist: SaferRecruitmentChecklist, offline: [OfflineVerification] = []
    ) -> Status {
        var reasons: [String] = []
        var references = references
        for index in references.indices {
            if references[index].status == .verified {
                references[index].verifiedBy = .signedExchange
            } else if mayVerifyOutside(references[index].status),
                let record = offline.last(where: { $0.caseID == references[index].caseId })
            {
                references[index].verifiedBy = .outsideTheExchange
                references[index].offline = record
            }
        }
        let standalone = offline.filter { $0.caseID == nil }
        if references.isEmpty && standalone.isEmpty {
            reasons.append("no reference has been sent for verification (para 7)")
        }
        for reference in references where reference.verifiedBy == nil {
            reasons.append(
                "the reference verified with \(reference.peer) (case \(reference.caseId)) is \(reference.status.rawValue), not verified (paras 7–8)"
            )
        }
        reasons += checklist.missing
        return Status(
            registration: registration, name: name, role: role, clearance: reasons.isEmpty ? .cleared : .blocked,
            reasons: reasons, references: references, offlineReferences: standalone, checklist: checklist)
    }
}
