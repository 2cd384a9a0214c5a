import RefGateCore
import RefGateStore

/// Who is calling the local API or using the dashboard: who acts, for every command.
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

    /// Who a command's signed message and record name: a signed-in user is their own record
    /// (a request that names anyone, even themselves, is refused with `identity-from-sign-in`,
    /// so a typed name can never pass as who acted); the node's token is the machine's own
    /// superuser, used by the CLI, and names the person it acts for in `named`.
    public func actingPerson(named: Person?, field: String) throws -> Person {
        switch self {
        case .user(let user):
            guard named == nil else {
                throw RefGateError(
                    .identityFromSignIn,
                    "leave out \(field): it is you, \(user.name), from your sign-in (an administrator sets your job title)"
                )
            }
            return user.person
        case .node:
            guard let named, !named.name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw RefGateError(
                    .invalidInput, "say who is acting (\(field).name): the node's token acts for a person")
            }
            guard named.name.count <= 200, named.role.count <= 200 else {
                throw RefGateError(.invalidInput, "\(field): a name and a role are at most 200 characters each")
            }
            return named
        }
    }

    /// The audit actor, with the person a node-token call named, so the log shows both.
    func auditActor(naming person: Person) -> AuditActor {
        switch self {
        case .user: auditActor
        case .node: AuditActor(name: "node token", role: "node", onBehalfOf: person.name)
        }
    }

    /// The audit log's actor for this caller.
    public var auditActor: AuditActor {
        switch self {
        case .node: AuditActor(name: "node token", role: "node")
        case .user(let user): AuditActor(name: user.name, role: user.role.rawValue, user: user.id)
        }
    }
}
