import Crypto
import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// The people who use the local API and the dashboard, and their credentials. Every secret
/// (API token, one-time sign-in code, session cookie) is 256 random bits shown once and kept
/// only as its SHA-256.
public struct Accounts: Sendable {
    let store: Store
    let clock: any NodeClock
    let planner: NotificationPlanner
    let signer: MessageSigner
    let jobTitles: JobTitles
    let logger: Logger

    /// How long a one-time sign-in code works.
    public static let signInCodeLifetime: TimeInterval = 15 * 60
    /// How long a dashboard session lasts.
    public static let sessionLifetime: TimeInterval = 8 * 3600

    /// A user with the secret just issued to them.
    public struct Issued: Codable, Sendable {
        /// The user.
        public var user: UserView
        /// The secret, shown this once.
        public var token: String
        /// When it stops working, if it does.
        public var expiresAt: Date?
    }

    /// A dashboard session just started.
    public struct Session: Sendable {
        /// Who signed in.
        public var user: UserView
        /// The cookie's value.
        public var cookie: String
        /// The token every form of this session carries.
        public var csrf: String
        /// When the session ends.
        public var expiresAt: Date
    }

    /// Longest an API token may be given to live, in days.
    public static let maxTokenDays = 3_650

    /// Adds a user and issues their first API token (expiring after `tokenDays` days if given).
    /// Their level is `seniority`, else the one the node's `jobTitles` give their job title,
    /// else the least their role implies.
    public func add(
        name: String, email: String, role: UserRole, jobTitle: String? = nil, seniority: Seniority? = nil,
        tokenDays: Int? = nil, by actor: AuditActor?
    ) async throws -> Issued {
        let lifetime = try Self.tokenLifetime(days: tokenDays)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw RefGateError(.invalidInput, "name must be 1 to 200 characters")
        }
        guard Self.looksLikeEmail(email) else {
            throw RefGateError(.invalidInput, "email must be an address like name@council.gov.uk")
        }
        let (jobTitle, level) = try jobTitles.resolve(jobTitle: jobTitle, seniority: seniority, role: role)
        let now = clock.now()
        let user = UserRecord(
            id: "u-" + Self.randomHex(bytes: 8), name: name, email: email, role: role, jobTitle: jobTitle,
            seniority: level, createdAt: now)
        let token = Self.secret(prefix: "rgt_")
        let expiresAt = lifetime.map { now.addingTimeInterval($0) }
        try await store.write { tx in
            try tx.insert(user, by: actor)
            try tx.insertCredential(
                hash: Self.hash(token), userID: user.id, kind: .apiToken, expiresAt: expiresAt, at: now, by: actor)
        }
        return Issued(user: UserView(user), token: token, expiresAt: expiresAt)
    }

    /// Issues another API token to a user (id or e-mail), expiring after `days` days if given.
    public func issueToken(user key: String, days: Int? = nil, by actor: AuditActor?) async throws -> Issued {
        try await issue(
            user: key, kind: .apiToken, prefix: "rgt_", lifetime: try Self.tokenLifetime(days: days), by: actor)
    }

    /// A user's API tokens (id or e-mail), newest first: ids, issue and expiry, revocation.
    public func tokens(user key: String) async throws -> [APITokenView] {
        try await store.read { reader in
            guard let user = try reader.user(idOrEmail: key) else {
                throw RefGateError(.notFound, "no user \(key); 'refgate user list' shows them")
            }
            return try reader.apiTokens(userID: user.id).map(APITokenView.init)
        }
    }

    /// Revokes one API token of a user (id or e-mail); their other tokens keep working.
    public func revokeToken(user key: String, token: String, by actor: AuditActor?) async throws -> APITokenView {
        let now = clock.now()
        return try await store.write { tx in
            guard let user = try tx.reader.user(idOrEmail: key) else {
                throw RefGateError(.notFound, "no user \(key); 'refgate user list' shows them")
            }
            return APITokenView(try tx.revokeAPIToken(userID: user.id, tokenID: token, by: actor, at: now))
        }
    }

    static func tokenLifetime(days: Int?) throws -> TimeInterval? {
        guard let days else { return nil }
        guard (1...maxTokenDays).contains(days) else {
            throw RefGateError(.invalidInput, "a token's expiry must be 1 to \(maxTokenDays) days")
        }
        return TimeInterval(days) * 86_400
    }

    /// Issues a one-time dashboard sign-in code to a user (id or e-mail).
    public func issueSignInCode(user key: String, by actor: AuditActor?) async throws -> Issued {
        try await issue(user: key, kind: .signInCode, prefix: "", lifetime: Self.signInCodeLifetime, by: actor)
    }

    /// Codes e-mailed to one address within ``signInCodeLifetime``; more requests send nothing.
    public static let signInCodesPerAddress = 3

    /// E-mails a one-time sign-in code to the address if it belongs to a user and e-mail is set
    /// up, unless the address was sent ``signInCodesPerAddress`` codes in the last 15 minutes.
    /// Says nothing either way, so the form cannot be used to learn who has an account. The
    /// queued e-mail holds a placeholder, not the code (``SignInCodes``).
    public func emailSignInCode(email: String) async throws {
        let now = clock.now()
        let codes = SignInCodes(signer: signer)
        try await store.write { tx in
            // By address only: an id typed into the form finds no one.
            guard let user = try tx.reader.user(idOrEmail: email), user.revokedAt == nil,
                user.email.lowercased() == email.lowercased(),
                try tx.reader.credentialsIssued(
                    userID: user.id, kind: .signInCode, since: now.addingTimeInterval(-Self.signInCodeLifetime))
                    < Self.signInCodesPerAddress
            else { return }
            let issued = codes.issue()
            let notifications = planner.plan(
                event: SignInCodes.event, caseID: nil, subject: "Your refgate sign-in code",
                body: """
                    Your one-time code to sign in to refgate (\(planner.authorityName)) is:

                    \(issued.placeholder)

                    It works once, for 15 minutes. If you did not ask for it, tell your operator.
                    """,
                now: now, emailTo: [user.email]
            ).filter { $0.channel == .email }
            guard !notifications.isEmpty else { return }
            try tx.insertCredential(
                hash: Self.hash(issued.code), userID: user.id, kind: .signInCode,
                expiresAt: now.addingTimeInterval(Self.signInCodeLifetime), at: now)
            for notification in notifications { try tx.enqueue(notification) }
        }
    }

    /// Changes a user's job title and level (id or e-mail): what signed messages show and what
    /// para 5 and the ladder allow them. A title alone takes its level from `jobTitles`.
    public func update(user key: String, jobTitle: String?, seniority: Seniority?, by actor: AuditActor?)
        async throws -> UserView
    {
        let now = clock.now()
        return UserView(
            try await store.write { tx in
                guard var user = try tx.reader.user(idOrEmail: key) else {
                    throw RefGateError(.notFound, "no user \(key); 'refgate user list' shows them")
                }
                guard user.revokedAt == nil else {
                    throw RefGateError(.invalidTransition, "user \(user.id) is revoked; add them again")
                }
                let (title, level) = try self.jobTitles.resolve(
                    jobTitle: jobTitle ?? user.jobTitle,
                    seniority: seniority ?? (jobTitle == nil ? user.seniority : nil),
                    role: user.role)
                user.jobTitle = title
                user.seniority = level
                try tx.update(user, by: actor, at: now)
                return user
            })
    }

    /// A user's alerts, each on or off.
    public func alerts(user id: String) async throws -> [AlertSetting] {
        let muted = try await store.read { try $0.mutedAlerts(userID: id) }
        return AlertEvent.allCases.map {
            AlertSetting(event: $0, description: $0.description, on: !muted.contains($0.rawValue))
        }
    }

    /// Turns off exactly the alerts in `off` for a user (escalations cannot be turned off).
    public func setAlerts(user id: String, off: Set<AlertEvent>, by actor: AuditActor?) async throws
        -> [AlertSetting]
    {
        let now = clock.now()
        try await store.write { tx in
            try tx.setMutedAlerts(userID: id, Set(off.map(\.rawValue)), actor: actor, at: now)
        }
        return try await alerts(user: id)
    }

    /// Revokes a user (id or e-mail) and every credential they hold.
    public func revoke(user key: String, by actor: AuditActor?) async throws -> UserView {
        let now = clock.now()
        return UserView(try await store.write { tx in try tx.revokeUser(id: key, by: actor, at: now) })
    }

    /// Every user, with how many live API tokens each holds.
    public func list() async throws -> [UserSummary] {
        let now = clock.now()
        return try await store.read { reader in
            let counts = try reader.apiTokenCounts(now: now)
            return try reader.users().map { UserSummary(user: UserView($0), apiTokens: counts[$0.id] ?? 0) }
        }
    }

    /// The user holding this API token, if it is live.
    public func user(apiToken token: String) async throws -> UserView? {
        let now = clock.now()
        return try await store.read {
            try $0.credential(hash: Self.hash(token), kinds: [.apiToken], now: now)?.user
        }.map(UserView.init)
    }

    /// Signs a user in with their e-mail address and a one-time code; the code is spent.
    public func signIn(email: String, code: String) async throws -> Session {
        let now = clock.now()
        let hash = Self.hash(code.trimmingCharacters(in: .whitespacesAndNewlines))
        let cookie = Self.secret(prefix: "")
        let csrf = Self.secret(prefix: "")
        let expiresAt = now.addingTimeInterval(Self.sessionLifetime)
        let user: UserRecord? = try await store.write { tx in
            guard let match = try tx.reader.credential(hash: hash, kinds: [.signInCode], now: now),
                match.user.email.lowercased() == email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(),
                try tx.useCredential(hash: hash, at: now)
            else { return nil }
            try tx.insertCredential(
                hash: Self.hash(cookie), userID: match.user.id, kind: .session, expiresAt: expiresAt, csrf: csrf,
                at: now)
            try tx.auditSession(.signedIn, user: match.user, at: now)
            return match.user
        }
        guard let user else {
            throw RefGateError(
                .unauthorized, "that e-mail address and code do not match a live code; ask for a new code")
        }
        return Session(user: UserView(user), cookie: cookie, csrf: csrf, expiresAt: expiresAt)
    }

    /// The user and CSRF token of a live session cookie.
    public func session(cookie: String) async throws -> (user: UserView, csrf: String)? {
        let now = clock.now()
        guard
            let match = try await store.read({
                try $0.credential(hash: Self.hash(cookie), kinds: [.session], now: now)
            })
        else { return nil }
        return (UserView(match.user), match.csrf ?? "")
    }

    /// Ends a session.
    public func signOut(cookie: String) async throws {
        let now = clock.now()
        let hash = Self.hash(cookie)
        try await store.write { tx in
            if let match = try tx.reader.credential(hash: hash, kinds: [.session], now: now) {
                try tx.revokeCredential(hash: hash, at: now)
                try tx.auditSession(.signedOut, user: match.user, at: now)
            }
        }
    }

    private func issue(
        user key: String, kind: CredentialKind, prefix: String, lifetime: TimeInterval?, by actor: AuditActor?
    )
        async throws -> Issued
    {
        let now = clock.now()
        let secret = Self.secret(prefix: prefix)
        let expiresAt = lifetime.map { now.addingTimeInterval($0) }
        let user = try await store.write { tx in
            guard let user = try tx.reader.user(idOrEmail: key) else {
                throw RefGateError(.notFound, "no user \(key); 'refgate user list' shows them")
            }
            guard user.revokedAt == nil else {
                throw RefGateError(.invalidTransition, "user \(user.id) is revoked; add them again")
            }
            try tx.insertCredential(
                hash: Self.hash(secret), userID: user.id, kind: kind, expiresAt: expiresAt, at: now, by: actor)
            return user
        }
        return Issued(user: UserView(user), token: secret, expiresAt: expiresAt)
    }

    /// SHA-256 of a secret, the only form it is stored in.
    static func hash(_ secret: String) -> Data { Data(SHA256.hash(data: Data(secret.utf8))) }

    /// 256 random bits, base64url.
    static func secret(prefix: String) -> String {
        prefix + Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    static func randomHex(bytes: Int) -> String {
        SymmetricKey(size: .init(bitCount: bytes * 8)).withUnsafeBytes { Data($0) }.hexEncoded
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
    }
}

/// One alert and whether a user receives it.
public struct AlertSetting: Codable, Sendable, Hashable {
    /// The alert.
    public var event: AlertEvent
    /// What it is.
    public var description: String
    /// Whether it is sent to them.
    public var on: Bool
}

/// A user as listed: the account and how many live API tokens it holds.
public struct UserSummary: Codable, Sendable {
    /// The account.
    public var user: UserView
    /// Live API tokens.
    public var apiTokens: Int
}
