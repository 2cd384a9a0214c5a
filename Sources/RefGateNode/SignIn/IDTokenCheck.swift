import Foundation
import RefGateCore

/// The checks an ID token's claims must pass after its signature (OpenID Connect Core §3.1.3.7):
/// the issuer (for Entra ID, the tenant's, from an allowed tenant), this node among the
/// audiences, not expired and not issued in the future beyond the skew, and the login's nonce.
/// Each refusal says which check failed; none says more about the token.
struct IDTokenCheck: Sendable {
    /// The issuer configured (may hold `{tenantid}`).
    var issuer: String
    /// Tenants allowed, for a `{tenantid}` issuer.
    var allowedTenants: [String]?
    /// This node's client id.
    var clientID: String
    /// Skew allowed on `exp` and `iat`.
    var skew: TimeInterval

    func check(_ claims: IDTokenClaims, nonce: String, now: Date) throws {
        let expectedIssuer: String
        if let tenants = allowedTenants, !tenants.isEmpty {
            guard let tenant = claims.tid, tenants.contains(tenant) else {
                throw Self.refused("the token's tenant is not one this node allows")
            }
            expectedIssuer = issuer.replacingOccurrences(of: "{tenantid}", with: tenant)
        } else {
            expectedIssuer = issuer
        }
        guard claims.iss == expectedIssuer else { throw Self.refused("the token's issuer is not the provider's") }
        guard claims.aud.value.contains(clientID) else { throw Self.refused("the token is not for this node") }
        if claims.aud.value.count > 1, claims.azp != clientID {
            throw Self.refused("the token names several audiences and this node is not its authorized party")
        }
        guard claims.exp.value.addingTimeInterval(skew) > now else { throw Self.refused("the token has expired") }
        guard claims.iat.value <= now.addingTimeInterval(skew) else {
            throw Self.refused("the token was issued in the future")
        }
        guard let sent = claims.nonce, AuthenticationMiddleware.constantTimeEqual(Array(sent.utf8), Array(nonce.utf8))
        else {
            throw Self.refused("the token's nonce is not this login's")
        }
    }

    static func refused(_ why: String) -> RefGateError {
        RefGateError(.unauthorized, "sign-in refused: \(why); sign in again")
    }
}
