import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import RefGateCore
import RefGateStore
import RefGateTestSupport
import Testing

@testable import RefGateNode

/// Sign-in through a real OpenID Connect provider: django-oidc-provider (PyPI), started here on
/// loopback with its own users and RSA key (`Tests/oidc/provider.py`), a person's login at it
/// done by `Tests/oidc/login.py`. The authorization code flow with PKCE, state and nonce; the ID
/// token checked with the provider's published keys; every refusal.
@Suite(.serialized, .timeLimit(.minutes(3))) struct OIDCTests {
    static let redirect = "https://127.0.0.1:9443/signin/oidc/callback"
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("oidc").path

    /// The provider, serving until released.
    struct Provider {
        let process: BackgroundProcess
        let issuer: String
        let kid: String
        let secretFile: String
        let folder: TemporaryFolder

        func settings(matchEmail: Bool = true, clientId: String = "refgate") -> OIDCSettings {
            OIDCSettings(
                displayName: "the council account", issuer: issuer, clientId: clientId, clientSecretFile: secretFile,
                redirectURI: OIDCTests.redirect, matchEmailOnFirstSignIn: matchEmail)
        }
    }

    static func startProvider(users: [String]) async throws -> Provider {
        let folder = try TemporaryFolder("refgate-oidc")
        let ready = folder.file("ready.json")
        let process = try BackgroundProcess(
            [
                "python3", "\(Self.folder)/provider.py", "--port", "\(FreePort.next())", "--client-id", "refgate",
                "--client-secret", "s3cret-for-tests", "--redirect-uri", redirect, "--ready-file", ready,
            ] + users.flatMap { ["--user", $0] })
        let text = try await process.waitForFile(ready, timeout: .seconds(90))
        let json = try JSONValue.parse(Data(text.utf8))
        guard case .string(let issuer)? = json["issuer"], case .string(let kid)? = json["kid"] else {
            throw RefGateError(.internalError, "the provider's ready file is not what it should be: \(text)")
        }
        let secret = folder.file("client.secret")
        FileManager.default.createFile(
            atPath: secret, contents: Data("s3cret-for-tests\n".utf8), attributes: [.posixPermissions: 0o600])
        return Provider(process: process, issuer: issuer, kid: kid, secretFile: secret, folder: folder)
    }

    /// A person's login at the provider: where it sends the browser back.
    static func login(_ url: String, _ email: String, password: String = "correct horse battery") async throws
        -> (code: String, state: String)?
    {
        let result = try await ExternalTool.runOffPool(
            ["python3", "\(folder)/login.py", url, email, password], timeout: .seconds(60))
        guard result.status == 0,
            let location = URLComponents(string: result.output.trimmingCharacters(in: .whitespacesAndNewlines)),
            let code = location.queryItems?.first(where: { $0.name == "code" })?.value,
            let state = location.queryItems?.first(where: { $0.name == "state" })?.value
        else { return nil }
        return (code, state)
    }

    static func state(of url: String) throws -> String {
        try #require(URLComponents(string: url)?.queryItems?.first { $0.name == "state" }?.value)
    }

    @Test func signInThroughTheProviderInTheDashboard() async throws {
        let provider = try await Self.startProvider(users: ["jordan@manchester.example:correct horse battery"])
        let region = try TestRegion()
        let node = try await region.makeEngine(TestRegion.manchester)
        let accounts = node.engine.accounts
        _ = try await accounts.add(name: "Jordan Ellis", email: "jordan@manchester.example", role: .recruiter, by: nil)
        let oidc = try OIDCSignIn(
            settings: provider.settings(), accounts: accounts, store: node.store, clock: region.clock,
            logger: .init(label: "test"))
        let router = Router(context: LocalRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        try Dashboard(
            commands: node.engine.commands, queries: node.engine.queries, accounts: accounts,
            agencies: node.engine.agencies, region: node.engine.region, clock: region.clock, health: nil,
            signIn: OneTimeCodeSignIn(accounts: accounts), authorityName: "Manchester", oidc: oidc,
            oneTimeCodes: false
        ).add(to: router)
        try await Application(router: router).test(.router) { client in
            let page = try await client.execute(uri: "/signin", method: .get)
            let html = DashboardTests.body(page)
            #expect(html.contains("Sign in with the council account") && !html.contains("one-time code"))
            let codes = try await client.execute(
                uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=x&email=jordan%40manchester.example&code=123"))
            #expect(codes.status == .forbidden, "one-time codes are off")

            // The button: to the provider, with PKCE (S256), state and nonce, bound to this browser.
            let start = try await client.execute(uri: "/signin/oidc", method: .get)
            #expect(start.status == .seeOther)
            let url = try #require(start.headers[.location])
            let query = try #require(URLComponents(string: url)?.queryItems)
            #expect(url.hasPrefix(provider.issuer + "/authorize?"))
            #expect(query.contains { $0.name == "code_challenge_method" && $0.value == "S256" })
            #expect(query.contains { $0.name == "nonce" } && query.contains { $0.name == "code_challenge" })
            let binding = try #require(DashboardTests.cookie(start, Dashboard.oidcCookie))
            #expect(binding.contains("SameSite=Lax") && binding.contains("HttpOnly") && binding.contains("Secure"))
            let cookie = String(binding.split(separator: ";")[0])

            // The person signs in at the provider; the callback starts their session.
            let (code, state) = try #require(try await Self.login(url, "jordan@manchester.example"))
            let callback = try await client.execute(
                uri: "/signin/oidc/callback?code=\(code)&state=\(state)", method: .get, headers: [.cookie: cookie])
            #expect(callback.status == .ok && callback.headers[HTTPField.Name("Refresh")!] == "0; url=/candidates")
            let session = try #require(DashboardTests.cookie(callback, Dashboard.sessionCookie))
            #expect(session.contains("SameSite=Strict"))
            let candidates = try await client.execute(
                uri: "/candidates", method: .get, headers: [.cookie: String(session.split(separator: ";")[0])])
            #expect(candidates.status == .ok && DashboardTests.body(candidates).contains("Jordan Ellis"))

            // The same callback again: the state was spent.
            let replay = try await client.execute(
                uri: "/signin/oidc/callback?code=\(code)&state=\(state)", method: .get, headers: [.cookie: cookie])
            #expect(replay.status == .unauthorized && DashboardTests.cookie(replay, Dashboard.sessionCookie) == nil)
            #expect(DashboardTests.body(replay).contains("already used"))
        }
        // The first sign-in bound Jordan by e-mail to the provider's subject; from now on the subject finds them.
        let jordan = try #require(try await node.store.read { try $0.user(idOrEmail: "jordan@manchester.example") })
        #expect(try await node.store.read { try $0.oidcSubject(userID: jordan.id) } != nil)
    }

    @Test func everyRefusal() async throws {
        let provider = try await Self.startProvider(users: [
            "sam@manchester.example:correct horse battery", "stranger@elsewhere.example:correct horse battery",
        ])
        let region = try TestRegion()
        let node = try await region.makeEngine(TestRegion.manchester)
        let accounts = node.engine.accounts
        _ = try await accounts.add(name: "Sam Okafor", email: "sam@manchester.example", role: .operator, by: nil)
        let strict = try OIDCSignIn(
            settings: provider.settings(matchEmail: false), accounts: accounts, store: node.store, clock: region.clock,
            logger: .init(label: "test"))

        // Unknown user: e-mail matching is off and no subject is bound.
        let first = try await strict.begin()
        let login = try #require(try await Self.login(first.url, "sam@manchester.example"))
        await #expect(throws: RefGateError.self) {
            try await strict.complete(state: login.state, code: login.code, binding: first.binding)
        }
        // Bound by the administrator to the provider's subject, Sam gets in.
        _ = try await accounts.bindOIDCSubject(user: "sam@manchester.example", subject: "1", by: nil)
        let second = try await strict.begin()
        let again = try #require(try await Self.login(second.url, "sam@manchester.example"))
        // Started in another browser: refused, and the state is not spent by that.
        await #expect(throws: RefGateError.self) {
            try await strict.complete(state: again.state, code: again.code, binding: "another-browser")
        }
        let session = try await strict.complete(state: again.state, code: again.code, binding: second.binding)
        #expect(session.user.email == "sam@manchester.example")
        // Replayed state.
        await #expect(throws: RefGateError.self) {
            try await strict.complete(state: again.state, code: again.code, binding: second.binding)
        }
        // A person the provider knows but refgate does not, even with e-mail matching on.
        let matching = try OIDCSignIn(
            settings: provider.settings(), accounts: accounts, store: node.store, clock: region.clock,
            logger: .init(label: "test"))
        let third = try await matching.begin()
        let stranger = try #require(try await Self.login(third.url, "stranger@elsewhere.example"))
        do {
            _ = try await matching.complete(state: stranger.state, code: stranger.code, binding: third.binding)
            Issue.record("a stranger signed in")
        } catch let error as RefGateError {
            #expect(error.code == .unauthorized && error.detail.contains("not a user of this node"))
        }
        // A login that took longer than ten minutes.
        let fourth = try await matching.begin()
        let slow = try #require(try await Self.login(fourth.url, "sam@manchester.example"))
        region.clock.advance(by: 601)
        await #expect(throws: RefGateError.self) {
            try await matching.complete(state: slow.state, code: slow.code, binding: fourth.binding)
        }

        // The provider rotates its key: the next token names a key not held, so the node fetches
        // the keys again (once: not more often than refetchInterval) and takes it.
        await matching.provider.setRefetchInterval(.zero)
        let base = provider.issuer.replacingOccurrences(of: "/openid", with: "")
        let rotated = try await ExternalTool.runOffPool(
            ["curl", "-sf", "-X", "POST", "\(base)/test/rotate-keys"], timeout: .seconds(30))
        #expect(rotated.status == 0 && !rotated.output.isEmpty && rotated.output != provider.kid)
        let fifth = try await matching.begin()
        let afterRotation = try #require(try await Self.login(fifth.url, "sam@manchester.example"))
        let rotatedSession = try await matching.complete(
            state: afterRotation.state, code: afterRotation.code, binding: fifth.binding)
        #expect(rotatedSession.user.email == "sam@manchester.example")

        // Bad signature: a token naming the provider's key but signed by another.
        let forger = JWTKeyCollection()
        await forger.add(ecdsa: ES256PrivateKey(), kid: JWKIdentifier(string: provider.kid))
        let now = Date()
        let forged = try await forger.sign(
            IDTokenClaims(
                iss: provider.issuer, aud: .init(value: ["refgate"]), exp: .init(value: now.addingTimeInterval(300)),
                iat: .init(value: now), nonce: "n", sub: "1", email: "sam@manchester.example"),
            kid: JWKIdentifier(string: provider.kid))
        do {
            _ = try await matching.signIn(idToken: forged, nonce: "n", now: region.clock.now())
            Issue.record("a forged token signed someone in")
        } catch let error as RefGateError {
            #expect(error.detail.contains("signature does not verify"))
        }
        await matching.provider.shutdown()
        await strict.provider.shutdown()
    }

    /// The claims' checks, each refusal on its own (the signature is jwt-kit's, above).
    @Test(arguments: [
        ("aud", "the token is not for this node"), ("iss", "the token's issuer is not the provider's"),
        ("tid", "the token's tenant is not one this node allows"), ("exp", "the token has expired"),
        ("iat", "the token was issued in the future"), ("nonce", "the token's nonce is not this login's"),
        ("azp", "this node is not its authorized party"),
    ])
    func theClaimsAreChecked(wrong: String, says: String) throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let tenant = "3f2c0d6e-0000-4000-8000-000000000001"
        var claims = IDTokenClaims(
            iss: "https://login.microsoftonline.com/\(tenant)/v2.0", aud: .init(value: ["refgate"]),
            exp: .init(value: now.addingTimeInterval(600)), iat: .init(value: now), nonce: "n0nce", sub: "s",
            tid: tenant)
        let check = IDTokenCheck(
            issuer: "https://login.microsoftonline.com/{tenantid}/v2.0", allowedTenants: [tenant], clientID: "refgate",
            skew: 120)
        try check.check(claims, nonce: "n0nce", now: now)
        switch wrong {
        case "aud": claims.aud = .init(value: ["another-app"])
        case "iss": claims.iss = "https://login.microsoftonline.com/common/v2.0"
        case "tid":
            claims.tid = "00000000-0000-4000-8000-000000000002"
            claims.iss = "https://login.microsoftonline.com/\(claims.tid!)/v2.0"
        case "exp": claims.exp = .init(value: now.addingTimeInterval(-121))
        case "iat": claims.iat = .init(value: now.addingTimeInterval(121))
        case "azp": claims.aud = .init(value: ["refgate", "another-app"])
        default: claims.nonce = "replayed"
        }
        do {
            try check.check(claims, nonce: "n0nce", now: now)
            Issue.record("a token with a wrong \(wrong) passed")
        } catch let error as RefGateError {
            #expect(error.code == .unauthorized && error.detail.contains(says))
        }
    }
}
