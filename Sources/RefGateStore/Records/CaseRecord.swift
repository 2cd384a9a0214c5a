import Foundation
import GRDB
import RefGateCore

/// A case as this node holds it.
public struct CaseRecord: Sendable, Hashable, StoredRecord {
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
    /// The candidate's registration number (groups a candidate's references).
    public var candidateRegistration: String?
    /// 0 none, 1 service managers, 2 heads of service, 3 the ladder is spent.
    public var escalationLevel: Int = 0
    /// The highest level the case ever reached (the figures count it; it never goes down).
    public var highestEscalationLevel: Int = 0
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
    /// When its request was signed (nil while the request is not held). A caller that knows it
    /// as it opens the case sets it, and the insert writes it, instead of an update of the case
    /// when the request is stored (a write of a row on which every index of cases is kept);
    /// otherwise the store sets it from the request message.
    public var requestedAt: Date?

    /// Creates a case record.
    public init(
        id: String, side: CaseSide, peer: AuthorityID, status: CaseStatus, candidateName: String,
        candidateRole: CandidateRole, candidateRegistration: String? = nil, respondBy: Date, requestMessageID: String,
        responseMessageID: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.side = side
        self.peer = peer
        self.status = status
        self.candidateName = candidateName
        self.candidateRole = candidateRole
        self.candidateRegistration = candidateRegistration
        self.respondBy = respondBy
        self.requestMessageID = requestMessageID
        self.responseMessageID = responseMessageID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension CaseRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "cases"

    /// Its columns: the one list an insert writes (`next_due` is the store's index, set at commit).
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["side"] = side.rawValue
        container["peer"] = peer.rawValue
        container["status"] = status.rawValue
        container["candidate_name"] = candidateName
        container["candidate_role"] = candidateRole.rawValue
        container["candidate_registration"] = candidateRegistration
        container["escalation_level"] = escalationLevel
        container["highest_escalation_level"] = highestEscalationLevel
        container["respond_by"] = respondBy.epochMilliseconds
        container["request_message_id"] = requestMessageID
        container["response_message_id"] = responseMessageID
        container["created_at"] = createdAt.epochMilliseconds
        container["updated_at"] = updatedAt.epochMilliseconds
        if let requestedAt { container["requested_at"] = requestedAt.epochMilliseconds }
    }
}
