/// A manager's level in the procedure's one structure, whatever the authority calls the post
/// (group manager, assistant director, principal social worker): para 5 says who may give and
/// approve a reference, and the ladder (paras 10–13) who is chased. Ordered.
public enum Seniority: String, Codable, Sendable, CaseIterable, Comparable, Hashable {
    /// Team or first-line manager.
    case teamManager = "team-manager"
    /// Service manager (level 1 of the ladder, paras 10–11).
    case serviceManager = "service-manager"
    /// Head of service or above (level 2, para 13).
    case headOfService = "head-of-service"

    /// Rank; higher is more senior.
    public var rank: Int {
        switch self {
        case .teamManager: 1
        case .serviceManager: 2
        case .headOfService: 3
        }
    }

    /// Orders levels by seniority.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    /// The level in signed messages (`responder.role`).
    public var managerRole: ManagerRole {
        switch self {
        case .teamManager: .teamManager
        case .serviceManager: .serviceManager
        case .headOfService: .headOfService
        }
    }

    /// What people read.
    public var title: String {
        switch self {
        case .teamManager: "Team manager"
        case .serviceManager: "Service manager"
        case .headOfService: "Head of service"
        }
    }
}
