import Foundation
import HTTPTypes
import JWTKit
import Logging
import RefGateCore
import RefGateTransport
import RefGateTrust

/// One OpenID Connect provider as a node sees it: its discovery document and signing keys,
/// fetched through libcurl and cached (the keys fetched again, at most once a minute, when a
/// token names a key not held: the provider rotated them), and the token endpoint.
actor OpenIDProvider {
    /// The parts of the discovery document a sign-in uses.
    struct Discovery: Codable, Sendable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String
        var endSessionEndpoint: String?

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case endSessionEndpoint = "end_session_endpoint"
        }
    }

    let settings: OIDCSettings
    let client: CurlHTTPClient
    let clientSecret: String?
    let logger: Logger
    private var discovery: (document: Discovery, fetchedAt: ContinuousClock.Instant)?
    private var keys: JWTKeyCollection?
    private var keysFetchedAt: ContinuousClock.Instant?
    /// The least time between two fetches of the keys (a token naming an unknown key cannot
    /// make the node fetch them more often).
    var refetchInterval: Duration = .seconds(60)

    init(settings: OIDCSettings, clientSecret: String?, logger: Logger) throws {
        self.settings = settings
        self.clientSecret = clientSecret
        self.logger = logger
        let https = settings.issuer.hasPrefix("https://")
        client = try CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                tls: https ? .init(caCertificatePath: settings.caCertificate) : nil, connectTimeout: .seconds(5),
                totalTimeout: .seconds(15), maxResponseBytes: 1 << 20),
            logger: logger)
    }

    /// The discovery document, fetched once an hour; its issuer must be the configured one.
    func document() async throws -> Discovery {
        if let discovery, ContinuousClock.now - discovery.fetchedAt < .seconds(3600) { return discovery.document }
        let base = settings.issuer.replacingOccurrences(of: "/{tenantid}/", with: "/organizations/")
        let url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/.well-known/openid-configuration"
        let document = try await fetch(Discovery.self, url: url, what: "discovery document")
        let expected = settings.issuer.contains("{tenantid}") ? document.issuer : settings.issuer
        guard document.issuer == expected || document.issuer.contains("{tenantid}") else {
            throw RefGateError(
                .configurationInvalid,
                "the provider's discovery document names issuer \(document.issuer), not \(settings.issuer)")
        }
        discovery = (document, ContinuousClock.now)
        return document
    }

    /// Checks an ID token's signature against the provider's keys (fetched again once if the
    /// token names a key not held) and returns its claims and the whole payload.
    func verify(_ token: String) async throws -> (IDTokenClaims, JSONValue) {
        let claims: IDTokenClaims
        do {
            claims = try await signingKeys(refresh: false).verify(token, as: IDTokenClaims.self)
        } catch {
            // The provider may have rotated its keys: fetch them again, at most once per
            // refetchInterval, and try once more.
            guard let fetched = keysFetchedAt, ContinuousClock.now - fetched >= refetchInterval else {
                throw IDTokenCheck.refused("the token's signature does not verify")
            }
            do {
                claims = try await signingKeys(refresh: true).verify(token, as: IDTokenClaims.self)
            } catch {
                throw IDTokenCheck.refused("the token's signature does not verify")
            }
        }
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]), let json = try? JSONValue.parse(payload)
        else {
            throw IDTokenCheck.refused("the token is malformed")
        }
        return (claims, json)
    }

    /// Exchanges an authorization code (with its PKCE verifier) for an ID token.
    func exchange(code: String, verifier: String) async throws -> String {
        let document = try await document()
        var fields = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", settings.redirectURI),
            ("client_id", settings.clientId), ("code_verifier", verifier),
        ]
        if let clientSecret { fields.append(("client_secret", clientSecret)) }
        let body = fields.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let response = try await client.send(
            url: document.tokenEndpoint, body: Data(body.utf8),
            headerFields: [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"])
        guard response.status == .ok else {
            logger.warning(
                "OpenID Connect token endpoint refused the code", metadata: ["status": "\(response.status.code)"])
            throw IDTokenCheck.refused("the provider did not accept the sign-in code (HTTP \(response.status.code))")
        }
        struct TokenResponse: Decodable {
            var idToken: String?
            enum CodingKeys: String, CodingKey { case idToken = "id_token" }
        }
        guard let token = try? JSONDecoder().decode(TokenResponse.self, from: response.body).idToken else {
            throw IDTokenCheck.refused("the provider's answer has no ID token")
        }
        return token
    }

    private func signingKeys(refresh: Bool) async throws -> JWTKeyCollection {
        if let keys, !refresh { return keys }
        let document = try await document()
        let jwks = try await fetch(JWKS.self, url: document.jwksURI, what: "signing keys")
        let collection = JWTKeyCollection()
        try await collection.add(jwks: jwks)
        keys = collection
        keysFetchedAt = ContinuousClock.now
        logger.info("OpenID Connect signing keys fetched", metadata: ["keys": "\(jwks.keys.count)"])
        return collection
    }

    private func fetch<T: Decodable>(_ type: T.Type, url: String, what: String) async throws -> T {
        let response: ClientResponse
        do {
            response = try await client.sendExpectingSuccess(url: url, headerFields: [.accept: "application/json"])
        } catch {
            throw RefGateError(.internalError, "cannot fetch the OpenID Connect provider's \(what) at \(url): \(error)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw RefGateError(.internalError, "the OpenID Connect provider's \(what) at \(url) is not valid: \(error)")
        }
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Sets ``refetchInterval`` (tests).
    func setRefetchInterval(_ interval: Duration) { refetchInterval = interval }

    func shutdown() async { await client.shutdown() }
}
