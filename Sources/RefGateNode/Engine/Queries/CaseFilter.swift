import Foundation
import RefGateCore
import RefGateStore

/// Which cases a list shows: every field narrows it; nil fields do not. The store filters by
/// it in SQL (``CaseQuery``).
public typealias CaseFilter = CaseQuery

extension CaseQuery {
    /// The rule in memory the store's SQL must agree with (`CaseListQueryTests` checks it).
    func matches(_ summary: CaseSummary, registration: String?) -> Bool {
        if let side, summary.side != side { return false }
        if let status, summary.status != status { return false }
        if let rag, summary.rag != rag { return false }
        if let peer, summary.peer != peer { return false }
        if let overdue, summary.overdue != overdue { return false }
        if let candidate, !candidate.isEmpty {
            let needle = candidate.lowercased()
            guard summary.candidateName.lowercased().contains(needle) || registration?.lowercased() == needle
            else { return false }
        }
        return true
    }
}

/// A case as a list shows it.
public struct CaseSummary: Codable, Sendable, Hashable {
    /// The case.
    public var caseID: String
    /// Which side this authority is on; `direction` in JSON (`sent` or `received`).
    @SideAsDirection public var side: CaseSide
    /// The other authority.
    public var peer: AuthorityID
    /// Where it stands.
    public var status: CaseStatus
    /// The candidate.
    public var candidateName: String
    /// The role applied for.
    public var role: CandidateRole
    /// Escalation level (0 to 3).
    public var escalationLevel: Int
    /// When it was opened.
    public var createdAt: Date
    /// The deadline it waits on, while it awaits its answer.
    public var dueAt: Date?
    /// Working seconds to that deadline; negative once overdue.
    public var workingSecondsLeft: Double?
    /// RAG, while it awaits its answer.
    public var rag: RAGStatus?
    /// Whether it is past its deadline.
    public var overdue: Bool

    enum CodingKeys: String, CodingKey {
        case caseID
        case side = "direction"
        case peer, status, candidateName, role, escalationLevel, createdAt, dueAt
        case workingSecondsLeft, rag, overdue
    }
}

/// One page of a list.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    /// The items on this page.
    public var items: [Item]
    /// How many items match in all.
    public var total: Int
    /// The offset of this page.
    public var offset: Int
    /// The page size asked for.
    public var limit: Int
    /// The offset of the next page, if there is one.
    public var nextOffset: Int?
}
