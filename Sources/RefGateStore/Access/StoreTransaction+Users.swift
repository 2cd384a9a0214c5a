import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// Every user, revoked ones too, by name.
    public func users() throws -> [UserRecord] {
        try Row.fetchAll(try db.cached("SELECT * FROM users ORDER BY lower(name), id")).map(UserRecord.init)
    }

    /// Users not revoked who did not turn `event` off, by name: an alert's possible recipients,
    /// in one query (it runs for each message that alerts someone).
    public func liveUsers(notMuting event: String) throws -> [UserRecord] {
        try Row.fetchAll(
            try db.cached(
                """
                SELECT * FROM users u WHERE u.revoked_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM alert_preferences p WHERE p.user_id = u.id AND p.event = ?)
                ORDER BY lower(u.name), u.id
                """), arguments: [event]
        ).map(UserRecord.init)
    }

    /// A user by id or by e-mail address (any case); of several accounts an address has had,
    /// the live one, else the newest.
    public func user(idOrEmail key: String) throws -> UserRecord? {
        try Row.fetchOne(
            try db.cached(
                """
                SELECT * FROM users WHERE id = ? OR lower(email) = lower(?)
                ORDER BY revoked_at IS NOT NULL, created_at DESC, id LIMIT 1
                """), arguments: [key, key]
        ).map(UserRecord.init)
    }

    /// The users who turned an alert off.
    public func usersMuting(_ event: String) throws -> Set<String> {
        Set(
            try String.fetchAll(
                try db.cached("SELECT user_id FROM alert_preferences WHERE event = ?"), arguments: [event]))
    }

    /// The alerts a user turned off.
    public func mutedAlerts(userID: String) throws -> Set<String> {
        Set(
            try String.fetchAll(
                try db.cached("SELECT event FROM alert_preferences WHERE user_id = ?"), arguments: [userID]))
    }

    /// A user's API tokens, newest first.
    public func apiTokens(userID: String) throws -> [APITokenRecord] {
        try Row.fetchAll(
            try db.cached(
                """
                SELECT lower(hex(substr(hash, 1, 8))) AS token_id, created_at, expires_at, revoked_at
                FROM user_credentials WHERE user_id = ? AND kind = 'api-token' ORDER BY created_at DESC, hash
                """), arguments: [userID]
        ).map {
            APITokenRecord(
                id: $0["token_id"], createdAt: $0.instant("created_at"), expiresAt: $0.optionalInstant("expires_at"),
                revokedAt: $0.optionalInstant("revoked_at"))
        }
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

    /// How many credentials of `kind` were issued to a user at or after `since`.
    public func credentialsIssued(userID: String, kind: CredentialKind, since: Date) throws -> Int {
        try Int.fetchOne(
            try db.cached(
                "SELECT count(*) FROM user_credentials WHERE user_id = ? AND kind = ? AND created_at >= ?"),
            arguments: [userID, kind.rawValue, since.epochMilliseconds]) ?? 0
    }

    /// How many live API tokens (not revoked, not expired at `now`) each user holds, by user id.
    public func apiTokenCounts(now: Date) throws -> [String: Int] {
        let rows = try Row.fetchAll(
            try db.cached(
                """
                SELECT user_id, count(*) AS n FROM user_credentials
                WHERE kind = 'api-token' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
                GROUP BY user_id
                """), arguments: [now.epochMilliseconds])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["user_id"], $0["n"]) })
    }
}

extension StoreTransaction {
    /// Adds a user; an address a live user has (any case) is a conflict. A revoked user's
    /// address may be given a new account (the old one stays, revoked, for the record).
    public func insert(_ user: UserRecord, by actor: AuditActor?) throws {
        if let existing = try reader.user(idOrEmail: user.email), existing.revokedAt == nil {
            throw RefGateError(
                .userExists,
                "\(existing.email) is already user \(existing.id); revoke it first or use another address")
        }
        try user.insert(db)
        try appendAudit(
            AuditEvent(.userAdded, subject: user.id, actor: actor, detail: ["role": user.role.rawValue]),
            at: user.createdAt)
    }

    /// Replaces the alerts a user turned off, audited.
    public func setMutedAlerts(userID: String, _ events: Set<String>, actor: AuditActor?, at time: Date) throws {
        try db.run(sql: "DELETE FROM alert_preferences WHERE user_id = ?", arguments: [userID])
        for event in events.sorted() {
            try db.run(
                sql: "INSERT INTO alert_preferences (user_id, event) VALUES (?, ?)", arguments: [userID, event])
        }
        try appendAudit(
            AuditEvent(
                .userUpdated, subject: userID, actor: actor,
                detail: ["alertsOff": events.isEmpty ? "-" : events.sorted().joined(separator: ",")]),
            at: time)
    }

    /// Stores a user's new job title and level.
    public func update(_ user: UserRecord, by actor: AuditActor?, at time: Date) throws {
        try user.update(db, columns: ["job_title", "seniority"])
        var detail = ["seniority": user.seniority?.rawValue ?? "-"]
        if let title = user.jobTitle { detail["jobTitle"] = title }
        try appendAudit(AuditEvent(.userUpdated, subject: user.id, actor: actor, detail: detail), at: time)
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
        let changedRows = try db.changes(
            sql: "UPDATE user_credentials SET used_at = ? WHERE hash = ? AND used_at IS NULL",
            arguments: [time.epochMilliseconds, hash])
        return changedRows == 1
    }

    /// Revokes one API token of a user, by the id ``StoreReader/apiTokens(userID:)`` lists.
    public func revokeAPIToken(userID: String, tokenID: String, by actor: AuditActor?, at time: Date) throws
        -> APITokenRecord
    {
        guard
            let token = try reader.apiTokens(userID: userID).first(where: { $0.id == tokenID.lowercased() })
        else {
            throw RefGateError(
                .notFound, "user \(userID) has no API token \(tokenID); 'refgate user tokens' lists them")
        }
        try db.run(
            sql: """
                UPDATE user_credentials SET revoked_at = coalesce(revoked_at, ?)
                WHERE user_id = ? AND kind = 'api-token' AND lower(hex(substr(hash, 1, 8))) = ?
                """,
            arguments: [time.epochMilliseconds, userID, token.id])
        try appendAudit(
            AuditEvent(.credentialRevoked, subject: userID, actor: actor, detail: ["token": token.id]), at: time)
        var revoked = token
        revoked.revokedAt = token.revokedAt ?? time
        return revoked
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
