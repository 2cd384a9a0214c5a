/// What a person signed in to a node may do. Each local API endpoint and dashboard page allows
/// only the roles that need it.
public enum UserRole: String, Codable, Sendable, CaseIterable, Hashable {
    /// Sends verification requests for candidates and records the para 9 checklist.
    case recruiter
    /// Answers verification requests addressed to this authority.
    case responder
    /// Receives level 1 escalations (paras 10–11), acknowledges them, and may answer a case
    /// escalated to them.
    case serviceManager = "service-manager"
    /// Receives level 2 escalations (para 13), acknowledges them, and may answer a case
    /// escalated to them.
    case headOfService = "head-of-service"
    /// Watches outstanding requests, delivery health, certificates and the directory.
    case `operator`
    /// Manages users, the directory, retention and subject access.
    case admin

    /// What people read: the role's name in a sentence.
    public var title: String {
        switch self {
        case .recruiter: "Recruiter"
        case .responder: "Responder"
        case .serviceManager: "Service manager"
        case .headOfService: "Head of service"
        case .operator: "Operator"
        case .admin: "Administrator"
        }
    }

    /// The least seniority the role implies: a service manager is at least a service manager.
    public var impliedSeniority: Seniority? {
        switch self {
        case .serviceManager: .serviceManager
        case .headOfService: .headOfService
        default: nil
        }
    }

    /// The escalation role this user holds, if they receive escalations.
    public var escalationRole: EscalationRole? {
        switch self {
        case .serviceManager: .serviceManager
        case .headOfService: .headOfService
        default: nil
        }
    }
}
