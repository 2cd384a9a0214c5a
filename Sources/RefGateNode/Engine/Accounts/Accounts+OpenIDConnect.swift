import Foundation
import RefGateCore
import RefGateStore

extension Accounts {
    /// Starts a session for the user an OpenID Connect subject is bound to. Without one, and
    /// only if the administrator allows it, a first sign-in binds the live user whose e-mail
    /// address the token gives and who has no subject yet; never by a name. A role the
    /// provider's claim maps to replaces the user's; otherwise roles stay as the administrator set
    /// them. Anyone else is refused.
    func signIn(oidcSubject subject: String, email: String?, matchEmail: Bool, role: UserRole?) async throws
        -> Session
    {
        let now = clock.now()
        let cookie = Self.secret(prefix: "")
        let csrf = Self.secret(prefix: "")
        let expiresAt = now.addingTimeInterval(Self.sessionLifetime)
        let user: UserRecord? = try await store.write { tx in
            var user = try tx.reader.user(oidcSubject: subject)
            if user == nil, matchEmail, let email, let match = try tx.reader.user(idOrEmail: email),
                match.email.lowercased() == email.lowercased(), match.revokedAt == nil,
                try tx.reader.oidcSubject(userID: match.id) == nil
            {
                try tx.bindOIDCSubject(
                    subject, userID: match.id,
                    actor: AuditActor(name: match.name, role: match.role.rawValue, user: match.id),
                    at: now)
                user = match
            }
            guard var found = user, found.revokedAt == nil else { return nil }
            if let role, role != found.role {
                try tx.setRole(role, userID: found.id, actor: nil, at: now)
                found.role = role
            }
            try tx.insertCredential(
                hash: Self.hash(cookie), userID: found.id, kind: .session, expiresAt: expiresAt, csrf: csrf, at: now)
            try tx.auditSession(.signedIn, user: found, at: now)
            return found
        }
        guard let user else {
            throw RefGateError(
                .unauthorized,
                "sign-in refused: your account at the provider is not a user of this node; ask its administrator to add you"
            )
        }
        return Session(user: UserView(user), cookie: cookie, csrf: csrf, expiresAt: expiresAt)
    }

    /// Binds a user to their provider subject (an administrator, who read it from the provider).
    public func bindOIDCSubject(user key: String, subject: String?, by actor: AuditActor?) async throws -> UserView {
        let now = clock.now()
        return try await store.write { tx in
            guard let user = try tx.reader.user(idOrEmail: key) else {
                throw RefGateError(.notFound, "no user '\(key)'")
            }
            if let subject, let other = try tx.reader.user(oidcSubject: subject), other.id != user.id {
                throw RefGateError(.userExists, "subject \(subject) is already \(other.email)'s")
            }
            try tx.bindOIDCSubject(subject, userID: user.id, actor: actor, at: now)
            return UserView(user)
        }
    }
}
