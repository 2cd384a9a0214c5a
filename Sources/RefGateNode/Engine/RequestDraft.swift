import Foundation
import RefGateCore

/// What a person supplies to send a verification request; the node adds ids, times and signature.
public struct RequestDraft: Codable, Sendable {
    /// The providing authority.
    public var to: AuthorityID
    /// The candidate.
    public var candidate: VerificationRequest.Candidate
    /// The role applied for.
    public var role: CandidateRole
    /// The agency.
    public var agency: VerificationRequest.Agency
    /// The reference to verify.
    public var reference: VerificationRequest.Reference
    /// Who is asking: only from the node's token (the CLI); a signed-in user is the requester
    /// (their name, job title and e-mail), and a draft that names one is refused.
    public var requester: VerificationRequest.Requester?
    /// Deadline; defaults to the policy's response window (2 working days) from now.
    public var respondBy: Date?
    /// The candidate's own e-mail address, for the para 8 notices (kept here, never sent to the peer).
    public var candidateEmail: String?

    /// Creates a draft.
    public init(
        to: AuthorityID, candidate: VerificationRequest.Candidate, role: CandidateRole,
        agency: VerificationRequest.Agency, reference: VerificationRequest.Reference,
        requester: VerificationRequest.Requester?, respondBy: Date? = nil, candidateEmail: String? = nil
    ) {
        self.candidateEmail = candidateEmail
        self.to = to
        self.candidate = candidate
        self.role = role
        self.agency = agency
        self.reference = reference
        self.requester = requester
        self.respondBy = respondBy
    }
}

/// What a responder supplies to answer a case.
public struct ResponseDraft: Codable, Sendable {
    /// The verdict.
    public var outcome: VerificationOutcome
    /// The findings.
    public var findings: VerificationResponse.Findings
    /// Who answers: only from the node's token (the CLI); a signed-in user is the responder
    /// (their name and recorded seniority), and a draft that names one is refused.
    public var responder: VerificationResponse.Responder?

    /// Creates a draft.
    public init(
        outcome: VerificationOutcome, findings: VerificationResponse.Findings,
        responder: VerificationResponse.Responder?
    ) {
        self.outcome = outcome
        self.findings = findings
        self.responder = responder
    }
}
