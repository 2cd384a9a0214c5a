import Crypto
import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// Sign-in through the council's OpenID Connect provider (Microsoft Entra ID, or any other):
/// the authorization code flow with PKCE (S256), `state` and `nonce`. The state is kept in the
/// store (hashed), bound to the browser that started the login by a cookie, and spent once,
/// within ten minutes; the ID token's signature is checked with the provider's published keys
/// (jwt-kit) and its claims by ``IDTokenCheck``; the user is found by a stable claim, never a name.
public struct OIDCSignIn: Sendable {
    let settings: OIDCSettings
    let provider: OpenIDProvider
    let accounts: Accounts
    let store: Store
    let clock: any NodeClock
    let logger: Logger

    /// How long a login may take, from the button to the callback.
    static let loginLifetime: TimeInterval = 600

    /// Reads the client secret (a 0600 file) and prepares the provider; nothing is fetched yet.
    public init(settings: OIDCSettings, accounts: Accounts, store: Store, clock: any NodeClock, logger: Logger) throws {
        self.settings = settings
        let secret = try settings.clientSecretFile.map { path -> String in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw RefGateError(.configurationInvalid, "cannot read the OpenID Connect client secret at \(path)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        provider = try OpenIDProvider(settings: settings, clientSecret: secret, logger: logger)
        self.accounts = accounts
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// What the sign-in page's button says.
    public var displayName: String { settings.displayName ?? "your council account" }

    /// Starts a login: the provider's authorization URL to send the browser to, and the value
    /// of the cookie that binds the login to this browser.
    public func begin() async throws -> (url: String, binding: String) {
        let document = try await provider.document()
        let state = Accounts.secret(prefix: "")
        let nonce = Accounts.secret(prefix: "")
        let verifier = Accounts.secret(prefix: "") + Accounts.secret(prefix: "")
        let binding = Accounts.secret(prefix: "")
        let challenge = Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
        let now = clock.now()
        try await store.write { tx in
            try tx.insertOIDCLogin(
                stateHash: Self.hash(state), bindingHash: Self.hash(binding), nonce: nonce, verifier: verifier, at: now)
        }
        let parameters = [
            ("response_type", "code"), ("client_id", settings.clientId), ("redirect_uri", settings.redirectURI),
            ("scope", (settings.scopes ?? ["openid", "email", "profile"]).joined(separator: " ")), ("state", state),
            ("nonce", nonce), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]
        let query = parameters.map { "\($0.0)=\(OpenIDProvider.formEncode($0.1))" }.joined(separator: "&")
        let separator = document.authorizationEndpoint.contains("?") ? "&" : "?"
        return (document.authorizationEndpoint + separator + query, binding)
    }

    /// Finishes a login at the callback: spends the state (once, same browser, in time),
    /// exchanges the code with its verifier, checks the ID token and starts a session for the
    /// user its subject is bound to.
    public func complete(state: String, code: String, binding: String?) async throws -> Accounts.Session {
        let now = clock.now()
        guard let binding,
            let login = try await store.write({ tx in
                try tx.spendOIDCLogin(
                    stateHash: Self.hash(state), bindingHash: Self.hash(binding),
                    notBefore: now.addingTimeInterval(-Self.loginLifetime), at: now)
            })
        else {
            throw IDTokenCheck.refused("this sign-in was already used, has expired, or was started in another browser")
        }
        let token = try await provider.exchange(code: code, verifier: login.verifier)
        return try await signIn(idToken: token, nonce: login.nonce, now: now)
    }

    /// Checks an ID token and starts a session for its subject's user.
    func signIn(idToken token: String, nonce: String, now: Date) async throws -> Accounts.Session {
        let (claims, payload) = try await provider.verify(token)
        try IDTokenCheck(
            issuer: settings.issuer, allowedTenants: settings.allowedTenants, clientID: settings.clientId,
            skew: TimeInterval(settings.clockSkewSeconds ?? 120)
        ).check(claims, nonce: nonce, now: now)
        let claim = settings.userClaim ?? "sub"
        guard case .string(let subject)? = payload[claim], !subject.isEmpty else {
            throw IDTokenCheck.refused("the token has no '\(claim)' claim to name you by")
        }
        let session = try await accounts.signIn(
            oidcSubject: subject, email: claims.email, matchEmail: settings.matchEmailOnFirstSignIn ?? false,
            role: role(from: payload))
        logger.info("signed in through OpenID Connect", metadata: ["user": "\(session.user.id)"])
        return session
    }

    /// The role the configured claim maps to, if any value of it does.
    func role(from payload: JSONValue) -> UserRole? {
        guard let name = settings.roleClaim, let map = settings.roleMap else { return nil }
        let values: [String] =
            switch payload[name] {
            case .string(let value)?: [value]
            case .array(let items)?: items.compactMap { if case .string(let value) = $0 { value } else { nil } }
            default: []
            }
        // The first value the administrator's mapping knows, in the claim's order.
        return values.lazy.compactMap { map[$0] }.first
    }

    static func hash(_ value: String) -> Data { Data(SHA256.hash(data: Data(value.utf8))) }
}
