import Foundation
import RefGateCore
import RefGateStore

/// A case as the local API shows it (its JSON is the API's, whatever the store's columns).
public struct CaseView: Codable, Sendable, Hashable {
    /// Case id (shared by both authorities).
    public var id: String
    /// Which side this node is on.
    public var side: CaseSide
    /// The other authority.
    public var peer: AuthorityID
    /// Current status.
    public var status: CaseStatus
    /// The candidate's name.
    public var candidateName: String
    /// The role the candidate is being appointed to.
    public var candidateRole: CandidateRole
    /// The candidate's registration number.
    public var candidateRegistration: String?
    /// 0 none, 1 service managers, 2 heads of service, 3 the ladder is spent.
    public var escalationLevel: Int
    /// The highest level it ever reached (kept when an answer closes the chase).
    public var highestEscalationLevel: Int
    /// The response deadline.
    public var respondBy: Date
    /// The request that opened the case.
    public var requestMessageID: String
    /// The response that answered it, if any.
    public var responseMessageID: String?
    /// When this node recorded the case.
    public var createdAt: Date
    /// When the case last changed at this node.
    public var updatedAt: Date

    /// The view of a stored record.
    public init(_ record: CaseRecord) {
        id = record.id
        side = record.side
        peer = record.peer
        status = record.status
        candidateName = record.candidateName
        candidateRole = record.candidateRole
        candidateRegistration = record.candidateRegistration
        escalationLevel = record.escalationLevel
        highestEscalationLevel = record.highestEscalationLevel
        respondBy = record.respondBy
        requestMessageID = record.requestMessageID
        responseMessageID = record.responseMessageID
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}
