import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// Every user, revoked ones too, by name.
    public func users() throws -> [UserRecord] {
        try Row.fetchAll(try db.cached("SELECT * FROM users ORDER BY name COLLATE NOCASE, id")).map(UserRecord.init)
    }

    /// A user by id or by e-mail address (any case).
    public func user(idOrEmail key: String) throws -> UserRecord? {
        try Row.fetchOne(
            try db.cached("SELECT * FROM users WHERE id = ? OR email = ? COLLATE NOCASE"), arguments: [key, key]
        ).map(UserRecord.init)
    }

    /// The live credential with this hash: of a user not revoked, itself not revoked, not
    /// expired at `now`, and (for a one-time code) not used.
    public func credential(hash: Data, kinds: [CredentialKind], now: Date) throws -> CredentialMatch? {
        guard
            let row = try Row.fetchOne(
                try db.cached(
                    """
                    SELECT c.kind AS credential_kind, c.csrf, c.expires_at AS credential_expires, u.*
                    FROM user_credentials c JOIN users u ON u.id = c.user_id
                    WHERE c.hash = ? AND c.revoked_at IS NULL AND c.used_at IS NULL AND u.revoked_at IS NULL
                        AND (c.expires_at IS NULL OR c.expires_at > ?)
                    """),
                arguments: [hash, now.epochMilliseconds])
        else { return nil }
        guard let kind = CredentialKind(rawValue: row["credential_kind"]), kinds.contains(kind) else { return nil }
        return CredentialMatch(
            user: try UserRecord(row: row), kind: kind, csrf: row["csrf"],
            expiresAt: row.optionalInstant("credential_expires"))
    }

    /// How many live API tokens each user holds, by user id.
    public func apiTokenCounts() throws -> [String: Int] {
        let rows = try Row.fetchAll(
            try db.cached(
                """
                SELECT user_id, count(*) AS n FROM user_credentials
                WHERE kind = 'api-token' AND revoked_at IS NULL GROUP BY user_id
                """))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["user_id"], $0["n"]) })
    }
}

extension StoreTransaction {
    /// Adds a user; an address already in use (any case) is a conflict.
    public func insert(_ user: UserRecord, by actor: AuditActor?) throws {
        if let existing = try reader.user(idOrEmail: user.email) {
            throw RefGateError(
                .userExists,
                "\(existing.email) is already user \(existing.id); revoke it first or use another address")
        }
        try db.run(
            sql: "INSERT INTO users (id, name, email, role, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [user.id, user.name, user.email, user.role.rawValue, user.createdAt.epochMilliseconds])
        try appendAudit(
            AuditEvent(.userAdded, subject: user.id, actor: actor, detail: ["role": user.role.rawValue]),
            at: user.createdAt)
    }

    /// Revokes a user and every credential they hold.
    public func revokeUser(id: String, by actor: AuditActor?, at time: Date) throws -> UserRecord {
        guard var user = try reader.user(idOrEmail: id) else {
            throw RefGateError(.notFound, "no user \(id); 'refgate user list' shows them")
        }
        try db.run(
            sql: "UPDATE users SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
            arguments: [time.epochMilliseconds, user.id])
        try db.run(
            sql: "UPDATE user_credentials SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
            arguments: [time.epochMilliseconds, user.id])
        try appendAudit(AuditEvent(.userRevoked, subject: user.id, actor: actor), at: time)
        user.revokedAt = user.revokedAt ?? time
        return user
    }

    /// Stores a credential by its hash. Sessions are not audited one by one: the sign-in is.
    public func insertCredential(
        hash: Data, userID: String, kind: CredentialKind, expiresAt: Date?, csrf: String? = nil, at time: Date,
        by actor: AuditActor? = nil
    ) throws {
        try db.run(
            sql: """
                INSERT INTO user_credentials (hash, user_id, kind, created_at, expires_at, csrf)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [hash, userID, kind.rawValue, time.epochMilliseconds, expiresAt?.epochMilliseconds, csrf])
        if kind != .session {
            try appendAudit(
                AuditEvent(.credentialIssued, subject: userID, actor: actor, detail: ["kind": kind.rawValue]), at: time)
        }
    }

    /// Marks a one-time code used; false if it was already used (two sign-ins at once).
    public func useCredential(hash: Data, at time: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE user_credentials SET used_at = ? WHERE hash = ? AND used_at IS NULL",
            arguments: [time.epochMilliseconds, hash])
        return db.changesCount == 1
    }

    /// Ends a credential (a session at sign-out).
    public func revokeCredential(hash: Data, at time: Date) throws {
        try db.run(
            sql: "UPDATE user_credentials SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL",
            arguments: [time.epochMilliseconds, hash])
    }

    /// Records a sign-in or sign-out in the audit log.
    public func auditSession(_ action: AuditAction, user: UserRecord, at time: Date) throws {
        try appendAudit(
            AuditEvent(
                action, subject: user.id, actor: AuditActor(name: user.name, role: user.role.rawValue, user: user.id)),
            at: time)
    }
}
