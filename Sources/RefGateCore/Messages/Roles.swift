/// The role a candidate is being appointed to.
public enum CandidateRole: String, Codable, Sendable, CaseIterable {
    /// A qualified social worker.
    case qualifiedSocialWorker = "qualified-social-worker"
    /// A team (first-line) manager.
    case teamManager = "team-manager"
}

/// A manager's role in an authority, ordered by seniority.
public enum ManagerRole: String, Codable, Sendable, CaseIterable, Comparable {
    /// Team or first-line manager.
    case teamManager = "team-manager"
    /// Service manager.
    case serviceManager = "service-manager"
    /// Head of service.
    case headOfService = "head-of-service"
    /// Assistant director.
    case assistantDirector = "assistant-director"
    /// Director.
    case director = "director"

    /// Seniority rank; higher is more senior.
    public var rank: Int {
        switch self {
        case .teamManager: 1
        case .serviceManager: 2
        case .headOfService: 3
        case .assistantDirector: 4
        case .director: 5
        }
    }

    /// Orders roles by seniority.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
