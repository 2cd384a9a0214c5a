/// Which side of a case this node is on.
public enum CaseSide: String, Codable, Sendable, CaseIterable {
    /// This node's authority asked (commissioning authority).
    case requester
    /// This node's authority owes the answer (providing authority).
    case responder
}
