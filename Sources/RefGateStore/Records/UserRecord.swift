import Foundation
import GRDB
import RefGateCore

/// A person who uses the local API or the dashboard.
public struct UserRecord: Sendable, Hashable {
    /// Stable id (`u-` and 16 hex digits).
    public var id: String
    /// Their name, as shown in timelines and the audit log.
    public var name: String
    /// Their e-mail address; sign-in is by address, unique regardless of case.
    public var email: String
    /// What they may do.
    public var role: UserRole
    /// Their post in the authority's own words ("Group manager"), as signed messages show it.
    public var jobTitle: String?
    /// Their level in the procedure (para 5 and the ladder), mapped from the job title.
    public var seniority: Seniority?
    /// When the account was added.
    public var createdAt: Date
    /// When it was revoked, if it was; a revoked user's credentials all stop working.
    public var revokedAt: Date?

    /// Creates a record.
    public init(
        id: String, name: String, email: String, role: UserRole, jobTitle: String? = nil, seniority: Seniority? = nil,
        createdAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.jobTitle = jobTitle
        self.seniority = seniority
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// Their level: the one recorded, else the least their role implies.
    public var effectiveSeniority: Seniority? { seniority ?? role.impliedSeniority }

    init(row: Row) throws {
        let role: String = row["role"]
        guard let known = UserRole(rawValue: role) else {
            throw RefGateError(.storedDataUnknown, "user \(row["id"] as String) has an unknown role \(role)")
        }
        let level: String? = row["seniority"]
        let seniority = try level.map { level in
            guard let known = Seniority(rawValue: level) else {
                throw RefGateError(.storedDataUnknown, "user \(row["id"] as String) has an unknown seniority \(level)")
            }
            return known
        }
        self.init(
            id: row["id"], name: row["name"], email: row["email"], role: known, jobTitle: row["job_title"],
            seniority: seniority, createdAt: row.instant("created_at"), revokedAt: row.optionalInstant("revoked_at"))
    }
}

/// What a stored credential is for.
public enum CredentialKind: String, Sendable, Codable, CaseIterable {
    /// A bearer token for the local API; lasts until revoked or its expiry, if it has one.
    case apiToken = "api-token"
    /// A one-time code that signs a user in to the dashboard once, before it expires.
    case signInCode = "sign-in-code"
    /// A dashboard session (the cookie), with its CSRF token.
    case session
}

/// A credential found by its hash, with its user.
public struct CredentialMatch: Sendable, Hashable {
    /// Whose it is.
    public var user: UserRecord
    /// What it is.
    public var kind: CredentialKind
    /// The CSRF token of a session.
    public var csrf: String?
    /// When it stops working, if it does.
    public var expiresAt: Date?
}

/// One API token of a user, as listed (the token itself is never stored, only its hash).
public struct APITokenRecord: Sendable, Hashable {
    /// Its id: the first 8 bytes of the token's SHA-256, in hex (names it without revealing it).
    public var id: String
    /// When it was issued.
    public var createdAt: Date
    /// When it stops working, if it does.
    public var expiresAt: Date?
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    /// Creates a record.
    public init(id: String, createdAt: Date, expiresAt: Date?, revokedAt: Date?) {
        self.id = id
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

extension UserRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "users"

    /// Its columns, as `init(row:)` reads them.
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["email"] = email
        container["role"] = role.rawValue
        container["job_title"] = jobTitle
        container["seniority"] = seniority?.rawValue
        container["created_at"] = createdAt.epochMilliseconds
        container["revoked_at"] = revokedAt?.epochMilliseconds
    }
}
