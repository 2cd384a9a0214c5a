import Foundation
import JWTKit

/// The claims of an OpenID Connect ID token that sign-in checks. jwt-kit checks the signature
/// against the provider's keys; the claims are checked by ``IDTokenCheck`` against the node's
/// injected clock, so `verify(using:)` checks nothing itself.
struct IDTokenClaims: JWTPayload {
    /// Issuer.
    var iss: String
    /// Audience: one client id or several.
    var aud: AudienceClaim
    /// Authorized party, when there are several audiences.
    var azp: String?
    /// Expiry.
    var exp: ExpirationClaim
    /// Issued at.
    var iat: IssuedAtClaim
    /// The nonce the login sent.
    var nonce: String?
    /// Subject.
    var sub: String
    /// E-mail address, if the provider gives one.
    var email: String?
    /// Entra ID: the tenant.
    var tid: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
