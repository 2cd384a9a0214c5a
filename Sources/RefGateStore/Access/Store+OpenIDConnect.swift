import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// The user an OpenID Connect subject is bound to.
    public func user(oidcSubject subject: String) throws -> UserRecord? {
        try Row.fetchOne(try db.cached("SELECT * FROM users WHERE oidc_subject = ?"), arguments: [subject])
            .map(UserRecord.init)
    }

    /// The subject a user is bound to, if any.
    public func oidcSubject(userID: String) throws -> String? {
        try String.fetchOne(try db.cached("SELECT oidc_subject FROM users WHERE id = ?"), arguments: [userID])
    }
}

extension StoreReader {
    /// The channels a user chose (nil: their role's) and their mobile number.
    public func personalChannels(userID: String) throws -> (channels: [String]?, phone: String?) {
        guard
            let row = try Row.fetchOne(
                try db.cached("SELECT channels, phone FROM users WHERE id = ?"), arguments: [userID])
        else { return (nil, nil) }
        let text: String? = row["channels"]
        return (text.map { $0.split(separator: ",").map(String.init) }, row["phone"])
    }
}

extension StoreTransaction {
    /// Records how a user chose to be told, audited (the number stays out of the log).
    public func setPersonalChannels(
        _ channels: [String]?, phone: String?, userID: String, actor: AuditActor?, at time: Date
    ) throws {
        try db.run(
            sql: "UPDATE users SET channels = ?, phone = ? WHERE id = ?",
            arguments: [channels?.joined(separator: ","), phone, userID])
        try appendAudit(
            AuditEvent(
                .userUpdated, subject: userID, actor: actor,
                detail: [
                    "channels": channels?.joined(separator: ",") ?? "role default",
                    "phone": phone == nil ? "none" : "set",
                ]),
            at: time)
    }

    /// Binds a user to an OpenID Connect subject (nil unbinds), audited.
    public func bindOIDCSubject(_ subject: String?, userID: String, actor: AuditActor?, at time: Date) throws {
        try db.run(sql: "UPDATE users SET oidc_subject = ? WHERE id = ?", arguments: [subject, userID])
        try appendAudit(
            AuditEvent(
                .userUpdated, subject: userID, actor: actor,
                detail: ["oidcSubject": subject == nil ? "unbound" : "bound"]),
            at: time)
    }

    /// Gives a user the role their provider's claim maps to, audited.
    public func setRole(_ role: UserRole, userID: String, actor: AuditActor?, at time: Date) throws {
        try db.run(sql: "UPDATE users SET role = ? WHERE id = ?", arguments: [role.rawValue, userID])
        try appendAudit(
            AuditEvent(.userUpdated, subject: userID, actor: actor, detail: ["role": role.rawValue]), at: time)
    }

    /// Keeps a login in flight: only hashes of its state and browser binding.
    public func insertOIDCLogin(stateHash: Data, bindingHash: Data, nonce: String, verifier: String, at time: Date)
        throws
    {
        // Logins older than a day are of no use to anyone.
        try db.run(
            sql: "DELETE FROM oidc_logins WHERE created_at < ?",
            arguments: [time.addingTimeInterval(-86_400).epochMilliseconds])
        try db.run(
            sql: """
                INSERT INTO oidc_logins (state_hash, binding_hash, nonce, verifier, created_at)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [stateHash, bindingHash, nonce, verifier, time.epochMilliseconds])
    }

    /// Spends a login: its nonce and PKCE verifier, once, if the state is known, unused, started
    /// after `notBefore` and by the same browser; nil otherwise (nothing changes).
    public func spendOIDCLogin(stateHash: Data, bindingHash: Data, notBefore: Date, at time: Date) throws -> (
        nonce: String, verifier: String
    )? {
        guard
            let row = try Row.fetchOne(
                try db.cached(
                    """
                    SELECT nonce, verifier FROM oidc_logins
                    WHERE state_hash = ? AND binding_hash = ? AND used_at IS NULL AND created_at >= ?
                    """), arguments: [stateHash, bindingHash, notBefore.epochMilliseconds])
        else { return nil }
        try db.run(
            sql: "UPDATE oidc_logins SET used_at = ? WHERE state_hash = ?",
            arguments: [time.epochMilliseconds, stateHash])
        return (row["nonce"], row["verifier"])
    }
}
