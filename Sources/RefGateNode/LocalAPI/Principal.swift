import RefGateCore
import RefGateStore

/// Who is calling the local API or using the dashboard.
public enum Principal: Sendable, Hashable {
    /// A user, by API token or dashboard session; their role decides what they may do.
    case user(UserView)
    /// Whoever holds the node's token file (mode 0600, beside its keys): the `refgate` CLI on the
    /// node's own machine. Like a database's local superuser it may do everything, and it is how
    /// the first users are added.
    case node

    /// Whether this caller may use something open to `roles`.
    public func may(_ roles: Set<UserRole>) -> Bool {
        switch self {
        case .node: true
        case .user(let user): roles.contains(user.role)
        }
    }

    /// The user, if a person is calling.
    public var user: UserView? {
        if case .user(let user) = self { return user }
        return nil
    }

    /// The person to record as acting, when a command does not name one.
    public var person: Person? { user.map { Person(name: $0.name, role: $0.role.title) } }

    /// The audit log's actor for this caller.
    public var auditActor: AuditActor {
        switch self {
        case .node: AuditActor(name: "node token", role: "node")
        case .user(let user): AuditActor(name: user.name, role: user.role.rawValue, user: user.id)
        }
    }
}
