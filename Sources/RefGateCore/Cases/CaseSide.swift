/// Which side of a case this node is on.
public enum CaseSide: String, Codable, Sendable, CaseIterable {
    /// This node's authority asked (commissioning authority).
    case requester
    /// This node's authority owes the answer (providing authority).
    case responder
}

extension CaseSide {
    /// The side as lists and filters name it, by which way the request went: `sent` (this
    /// authority asked) or `received` (it owes the answer). One concept, two spellings on the
    /// wire since the first release; this is the only place they meet.
    public var direction: String { self == .requester ? "sent" : "received" }

    /// The side named `sent` or `received`.
    public init?(direction: String) {
        switch direction {
        case "sent": self = .requester
        case "received": self = .responder
        default: return nil
        }
    }
}
