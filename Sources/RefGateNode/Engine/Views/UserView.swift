import Foundation
import RefGateCore
import RefGateStore

/// A user as the local API shows them.
public struct UserView: Codable, Sendable, Hashable {
    /// Stable id.
    public var id: String
    /// Their name.
    public var name: String
    /// Their e-mail address.
    public var email: String
    /// What they may do.
    public var role: UserRole
    /// Their post in the authority's words, as signed messages show it.
    public var jobTitle: String?
    /// Their level in the procedure (para 5, the ladder): recorded, or the least their role implies.
    public var seniority: Seniority?
    /// When the account was added.
    public var createdAt: Date
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    /// The view of a stored record.
    public init(_ record: UserRecord) {
        id = record.id
        name = record.name
        email = record.email
        role = record.role
        jobTitle = record.jobTitle
        seniority = record.effectiveSeniority
        createdAt = record.createdAt
        revokedAt = record.revokedAt
    }

    /// How they appear in signed messages: their name and job title (or their role's).
    public var person: Person { Person(name: name, role: jobTitle ?? seniority?.title ?? role.title) }

    /// The caller holding the node's own token (`/me` for it): an admin, and no stored user.
    public static let nodeToken = UserView(
        id: "node", name: "node token", email: "", role: .admin, createdAt: Date(timeIntervalSince1970: 0))

    /// A view not read from the store (the node token).
    init(id: String, name: String, email: String, role: UserRole, createdAt: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.createdAt = createdAt
    }
}
