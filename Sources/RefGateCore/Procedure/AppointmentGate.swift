import Foundation

/// Paras 7–8: a candidate may be appointed only when every reference is verified; para 9: and
/// the safer-recruitment checklist is complete. Pure: the node gathers the facts.
public enum AppointmentGate {
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

        /// Creates a reference summary.
        public init(caseId: String, peer: AuthorityID, status: CaseStatus, respondBy: Date) {
            self.caseId = caseId
            self.peer = peer
            self.status = status
            self.respondBy = respondBy
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
        /// The para 9 checklist.
        public var checklist: SaferRecruitmentChecklist
    }

    /// Decides whether the candidate is cleared.
    public static func evaluate(
        registration: String, name: String?, role: CandidateRole?, references: [Reference],
        checklist: SaferRecruitmentChecklist
    ) -> Status {
        var reasons: [String] = []
        if references.isEmpty {
            reasons.append("no reference has been sent for verification (para 7)")
        }
        for reference in references where reference.status != .verified {
            reasons.append(
                "the reference verified with \(reference.peer) (case \(reference.caseId)) is \(reference.status.rawValue), not verified (paras 7–8)"
            )
        }
        reasons += checklist.missing
        return Status(
            registration: registration, name: name, role: role, clearance: reasons.isEmpty ? .cleared : .blocked,
            reasons: reasons, references: references, checklist: checklist)
    }
}
