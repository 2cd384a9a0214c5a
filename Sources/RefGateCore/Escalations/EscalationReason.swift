/// Why a case was escalated.
public enum EscalationReason: String, Codable, Sendable, CaseIterable {
    /// The response deadline passed (para 11). Level 1.
    case responseOverdue = "response-overdue"
    /// The reference came from a colleague or first-line manager; a suitable one is needed (para 10). Level 1.
    case suitableReferenceRequired = "suitable-reference-required"
    /// A person judged the response unsatisfactory (para 11). Level 1.
    case unsatisfactoryResponse = "unsatisfactory-response"
    /// The level 1 deadline passed without a satisfactory answer (para 13). Level 2.
    case levelOneOverdue = "level-1-overdue"
    /// A person raised a concern serious enough to go straight to heads of service (para 13). Level 2.
    case seriousConcern = "serious-concern"

    /// The ladder level this reason belongs to.
    public var level: Int {
        switch self {
        case .responseOverdue, .suitableReferenceRequired, .unsatisfactoryResponse: 1
        case .levelOneOverdue, .seriousConcern: 2
        }
    }

    /// Whether people raise it by hand (the others are raised by the node).
    public var raisedByPerson: Bool { self == .unsatisfactoryResponse || self == .seriousConcern }
}

/// The role an escalation is addressed to, at both authorities.
public enum EscalationRole: String, Codable, Sendable, CaseIterable {
    /// Level 1: service manager to service manager.
    case serviceManager = "service-manager"
    /// Level 2: head of service (or assistant director) to head of service.
    case headOfService = "head-of-service"

    /// The role for a ladder level.
    public init(level: Int) { self = level >= 2 ? .headOfService : .serviceManager }
}

/// A person named in a message: name and job title.
public struct Person: Codable, Sendable, Hashable {
    /// Their name as it appears in messages and notifications.
    public var name: String
    /// Job title or role.
    public var role: String

    /// Creates a person.
    public init(name: String, role: String) {
        self.name = name
        self.role = role
    }
}
