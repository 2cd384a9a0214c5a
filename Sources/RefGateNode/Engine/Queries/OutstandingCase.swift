import Foundation
import RefGateCore
import RefGateStore

/// A request still awaiting its answer, as an operator sees it: which way it goes, how close
/// its deadline is in working time, and how far up the ladder it is.
public struct OutstandingCase: Codable, Sendable, Hashable {
    /// The case.
    public var caseID: String
    /// `sent` (this authority asked) or `received` (this authority owes the answer).
    public var direction: Direction
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

    /// Which way a request goes.
    public enum Direction: String, Codable, Sendable, CaseIterable {
        /// This authority sent it.
        case sent
        /// This authority received it and owes the answer.
        case received
    }

    /// Rates a case waiting on `escalationDue` (if escalated) or its response deadline.
    public init(_ record: CaseRecord, escalationDue: Date?, policy: Policy, now: Date) {
        caseID = record.id
        direction = record.side == .requester ? .sent : .received
        peer = record.peer
        candidateName = record.candidateName
        role = record.candidateRole
        escalationLevel = record.escalationLevel
        dueAt = escalationDue ?? record.respondBy
        workingSecondsLeft = policy.calendar.workingTime(from: now, to: dueAt)
        rag = record.escalationLevel >= EscalationRules.exhausted ? .red : policy.rag(due: dueAt, now: now)
    }
}
