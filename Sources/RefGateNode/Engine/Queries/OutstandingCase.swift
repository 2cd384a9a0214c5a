import Foundation
import RefGateCore
import RefGateStore

/// A request still awaiting its answer, as an operator sees it: which way it goes, how close
/// its deadline is in working time, and how far up the ladder it is.
public struct OutstandingCase: Codable, Sendable, Hashable {
    /// The case.
    public var caseID: String
    /// Which side this authority is on; `direction` in JSON (`sent` or `received`).
    @SideAsDirection public var side: CaseSide
    /// The other authority.
    public var peer: AuthorityID
    /// The candidate.
    public var candidateName: String
    /// The role applied for.
    public var role: CandidateRole
    /// Escalation level (0 none, 1 service manager, 2 head of service, 3 ladder spent).
    public var escalationLevel: Int
    /// The deadline it is waiting on: the latest escalation's, else the response deadline.
    public var dueAt: Date
    /// Working seconds until the deadline; negative once overdue.
    public var workingSecondsLeft: Double
    /// Red (overdue), amber (due within a working day) or green.
    public var rag: RAGStatus

    enum CodingKeys: String, CodingKey {
        case caseID
        case side = "direction"
        case peer, candidateName, role, escalationLevel, dueAt, workingSecondsLeft, rag
    }

    /// Rates a case waiting on `escalationDue` (if escalated) or its response deadline.
    public init(_ record: CaseRecord, escalationDue: Date?, policy: Policy, now: Date) {
        caseID = record.id
        side = record.side
        peer = record.peer
        candidateName = record.candidateName
        role = record.candidateRole
        escalationLevel = record.escalationLevel
        dueAt = escalationDue ?? record.respondBy
        workingSecondsLeft = policy.calendar.workingTime(from: now, to: dueAt)
        rag = record.escalationLevel >= EscalationRules.exhausted ? .red : policy.rag(due: dueAt, now: now)
    }
}
