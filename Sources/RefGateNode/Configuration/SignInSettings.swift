import Foundation
import RefGateCore

/// The `signIn` section of a node's configuration: how people sign in to the dashboard.
///
/// ```json
/// "signIn": {
///   "oneTimeCodes": false,
///   "oidc": {
///     "displayName": "your Manchester account",
///     "issuer": "https://login.microsoftonline.com/{tenantid}/v2.0",
///     "allowedTenants": ["3f2c…"],
///     "clientId": "6a1b…",
///     "clientSecretFile": "oidc-client.secret",
///     "redirectURI": "https://refgate.manchester.gov.uk/signin/oidc/callback",
///     "userClaim": "oid",
///     "matchEmailOnFirstSignIn": true
///   }
/// }
/// ```
public struct SignInSettings: Codable, Sendable {
    /// Whether e-mailed one-time codes still sign people in (default true).
    public var oneTimeCodes: Bool?
    /// Sign-in through the council's OpenID Connect provider.
    public var oidc: OIDCSettings?

    /// Creates settings.
    public init(oneTimeCodes: Bool? = nil, oidc: OIDCSettings? = nil) {
        self.oneTimeCodes = oneTimeCodes
        self.oidc = oidc
    }
}

/// One OpenID Connect provider (authorization code flow with PKCE, `state` and `nonce`).
public struct OIDCSettings: Codable, Sendable {
    /// What the sign-in button calls it ("Sign in with …").
    public var displayName: String?
    /// The issuer; its discovery document is `issuer/.well-known/openid-configuration`. For a
    /// multi-tenant Entra ID app the issuer holds `{tenantid}`, filled from the token's `tid`.
    public var issuer: String
    /// For Entra ID: the tenants whose users may sign in (the token's `tid`).
    public var allowedTenants: [String]?
    /// The client (application) id registered with the provider.
    public var clientId: String
    /// A file (mode 0600) holding the client secret.
    public var clientSecretFile: String?
    /// This node's callback, registered with the provider: `…/signin/oidc/callback`.
    public var redirectURI: String
    /// Scopes asked for (default `openid email profile`).
    public var scopes: [String]?
    /// The claim that names a user for good (default `sub`; `oid` for Entra ID). Never a name.
    public var userClaim: String?
    /// Whether a first sign-in may bind a user by the token's `email` (then the subject only).
    public var matchEmailOnFirstSignIn: Bool?
    /// A claim whose values map to refgate roles (`roles`, `groups`); roles stay refgate's otherwise.
    public var roleClaim: String?
    /// Claim value → role, for `roleClaim`.
    public var roleMap: [String: UserRole]?
    /// PEM CA file for an HTTPS provider; the system store when absent.
    public var caCertificate: String?
    /// Clock skew allowed on `exp` and `iat`, in seconds (default 120).
    public var clockSkewSeconds: Int?

    /// Creates settings.
    public init(
        displayName: String? = nil, issuer: String, allowedTenants: [String]? = nil, clientId: String,
        clientSecretFile: String? = nil, redirectURI: String, scopes: [String]? = nil, userClaim: String? = nil,
        matchEmailOnFirstSignIn: Bool? = nil, roleClaim: String? = nil, roleMap: [String: UserRole]? = nil,
        caCertificate: String? = nil, clockSkewSeconds: Int? = nil
    ) {
        self.displayName = displayName
        self.issuer = issuer
        self.allowedTenants = allowedTenants
        self.clientId = clientId
        self.clientSecretFile = clientSecretFile
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.userClaim = userClaim
        self.matchEmailOnFirstSignIn = matchEmailOnFirstSignIn
        self.roleClaim = roleClaim
        self.roleMap = roleMap
        self.caCertificate = caCertificate
        self.clockSkewSeconds = clockSkewSeconds
    }

    /// Refuses a provider reached in clear text over a network, and settings that cannot work.
    public func check() throws {
        guard let url = URL(string: issuer), let scheme = url.scheme, let host = url.host else {
            throw RefGateError(.configurationInvalid, "signIn.oidc.issuer '\(issuer)' is not a URL")
        }
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw RefGateError(
                .configurationInvalid,
                "signIn.oidc.issuer must be https (plain http only on loopback, for a provider on this machine)")
        }
        guard !clientId.isEmpty, redirectURI.hasSuffix("/signin/oidc/callback") else {
            throw RefGateError(
                .configurationInvalid,
                "signIn.oidc needs a clientId and a redirectURI ending /signin/oidc/callback (as registered with the provider)"
            )
        }
        if issuer.contains("{tenantid}"), allowedTenants?.isEmpty ?? true {
            throw RefGateError(
                .configurationInvalid,
                "signIn.oidc.issuer holds {tenantid}: list the tenants whose users may sign in (allowedTenants)")
        }
    }
}
