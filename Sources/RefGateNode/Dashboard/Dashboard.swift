import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import RefGateCore
import RefGateStore

/// The dashboard: server-rendered HTML pages that work without JavaScript, served beside the
/// local API. People sign in through a ``SignInProvider`` and get a session cookie (HttpOnly,
/// Secure, SameSite=Strict); every form carries the session's CSRF token; every value shown is
/// escaped by the templates.
public struct Dashboard: Sendable {
    // The engine parts it calls, and nothing else of the engine.
    let commands: Commands
    let queries: Queries
    let accounts: Accounts
    let agencies: Agencies
    let region: RegionalExchange
    let clock: any NodeClock
    let health: NodeHealth?
    let signIn: any SignInProvider
    /// Sign-in through the council's OpenID Connect provider, if configured.
    let oidc: OIDCSignIn?
    /// Whether one-time codes sign people in.
    let oneTimeCodes: Bool
    let authorityName: String
    let library: MustacheLibrary
    /// Code requests per client address: at most 5 in 15 minutes.
    let codeRequests = RequestThrottle(limit: 5, window: 15 * 60)

    /// The session cookie's name.
    public static let sessionCookie = "refgate_session"
    /// The cookie that guards the sign-in form (there is no session yet to hold a CSRF token).
    static let signInCookie = "refgate_signin"

    /// Creates the dashboard.
    public init(
        commands: Commands, queries: Queries, accounts: Accounts, agencies: Agencies, region: RegionalExchange,
        clock: any NodeClock, health: NodeHealth?, signIn: any SignInProvider, authorityName: String,
        oidc: OIDCSignIn? = nil, oneTimeCodes: Bool = true
    ) throws {
        self.oidc = oidc
        self.oneTimeCodes = oneTimeCodes
        self.commands = commands
        self.queries = queries
        self.accounts = accounts
        self.agencies = agencies
        self.region = region
        self.clock = clock
        self.health = health
        self.signIn = signIn
        self.authorityName = authorityName
        var library = MustacheLibrary()
        for (name, text) in DashboardTemplates.all { try library.register(text, named: name) }
        self.library = library
    }

    /// Someone signed in, on one request.
    struct Visitor: Sendable {
        var user: UserView
        var csrf: String
        /// Whether this node holds the region's picture (the menu shows it only then).
        var coordinator = false
    }

    /// Pages, and the menu. Each page shows what one API operation reads, and is open to the
    /// roles the API's matrix gives that operation (`LocalAPI.endpoints`, the one role table).
    static let menu: [(href: String, label: String, roles: Set<UserRole>)] = [
        ("/outstanding", "Outstanding", LocalAPI.roles(.get, "/cases")),
        ("/requests/new", "Send a request", LocalAPI.roles(.post, "/requests")),
        ("/escalations", "Escalations", LocalAPI.roles(.get, "/escalations")),
        ("/candidates", "Candidates", LocalAPI.roles(.get, "/candidates")),
        ("/deliveries", "Delivery health", LocalAPI.roles(.get, "/deliveries")),
        ("/performance", "Regional performance", LocalAPI.roles(.get, "/performance")),
        ("/agencies", "Agencies", LocalAPI.roles(.get, "/agencies")),
        ("/region", "The region", LocalAPI.roles(.get, "/region")),
        ("/me/alerts", "My alerts", LocalAPI.roles(.get, "/me/alerts")),
    ]

    /// Adds the pages to the local listener's router.
    public func add(to router: Router<LocalRequestContext>) {
        router.get("/") { request, _ in
            guard let visitor = try await self.visitor(request) else { return Self.redirect("/signin") }
            return Self.redirect(Self.home(for: visitor.user.role))
        }
        addSignIn(router)
        addPages(router)
        addForms(router)
        addRegion(router)
        addWorkflow(router)
    }

    static func home(for role: UserRole) -> String {
        switch role {
        case .serviceManager, .headOfService: "/escalations"
        case .recruiter: "/candidates"
        default: "/outstanding"
        }
    }

    // MARK: Sign-in

    private func addSignIn(_ router: Router<LocalRequestContext>) {
        router.get("/signin") { request, _ in
            try await self.signInPage(request, error: nil, email: "", status: .ok)
        }
        addOIDC(router)
        router.post("/signin") { request, _ in
            guard self.oneTimeCodes else { return try await self.codesOff(request) }
            let form = try await FormBody.read(request)
            guard Self.sameSecret(request.cookies[Self.signInCookie]?.value, form["csrf"]) else {
                return try await self.signInPage(
                    request, error: "The form had expired. Please try again.", email: form["email"] ?? "",
                    status: .forbidden)
            }
            let session: Accounts.Session
            do {
                session = try await self.signIn.signIn(form: form)
            } catch let error as RefGateError where error.code.fault == .client {
                return try await self.signInPage(
                    request, error: "That e-mail address and code do not match. Codes work once, for 15 minutes.",
                    email: form["email"] ?? "", status: .unauthorized)
            }
            var response = Self.redirect(Self.home(for: session.user.role))
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: session.cookie, maxAge: Int(Accounts.sessionLifetime), path: "/",
                    secure: true, httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/signin/code") { request, context in
            guard self.oneTimeCodes else { return try await self.codesOff(request) }
            let form = try await FormBody.read(request)
            guard Self.sameSecret(request.cookies[Self.signInCookie]?.value, form["csrf"]) else {
                return try await self.signInPage(
                    request, error: "The form had expired. Please try again.", email: "", status: .forbidden)
            }
            let client = context.remoteAddress?.ipAddress ?? "unknown"
            let now = self.clock.now()
            if let retryAt = self.codeRequests.check(client, now: now) {
                let minutes = max(1, Int((retryAt.timeIntervalSince(now) / 60).rounded(.up)))
                var response = try await self.signInPage(
                    request,
                    error: "Too many codes were asked for from your network. Try again in \(minutes) minutes.",
                    email: "", status: .tooManyRequests)
                response.headers[.retryAfter] = "\(minutes * 60)"
                return response
            }
            if let email = form["email"], Accounts.looksLikeEmail(email) {
                try await self.signIn.requestCode(email: email)
            }
            return try await self.signInPage(
                request, error: nil, email: form["email"] ?? "", status: .ok,
                flash: "If that address has an account here, a code is on its way to it.")
        }
        router.post("/signout") { request, _ in
            let form = try await FormBody.read(request)
            if let visitor = try await self.visitor(request), Self.sameSecret(visitor.csrf, form["csrf"]),
                let cookie = request.cookies[Self.sessionCookie]?.value
            {
                try await self.accounts.signOut(cookie: cookie)
            }
            var response = Self.redirect("/signin")
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true,
                    sameSite: .strict))
            return response
        }
    }

    func signInPage(
        _ request: Request, error: String?, email: String, status: HTTPResponse.Status, flash: String? = nil
    ) async throws -> Response {
        let token = Accounts.secret(prefix: "")
        var response = render(
            "signin", title: "Sign in",
            data: [
                "csrf": token, "error": error as Any, "email": email, "codes": oneTimeCodes,
                "oidc": oidc.map { ["name": $0.displayName] } as Any,
            ], visitor: nil,
            flash: flash, status: status)
        response.setCookie(
            Cookie(
                name: Self.signInCookie, value: token, maxAge: 3600, path: "/signin", secure: true, httpOnly: true,
                sameSite: .strict))
        return response
    }

    // MARK: Helpers

    /// The signed-in visitor, if the session cookie is live.
    func visitor(_ request: Request) async throws -> Visitor? {
        guard let cookie = request.cookies[Self.sessionCookie]?.value, !cookie.isEmpty,
            let (user, csrf) = try await accounts.session(cookie: cookie)
        else { return nil }
        return Visitor(user: user, csrf: csrf, coordinator: await region.isCoordinator)
    }

    /// Runs a page for signed-in users with one of `roles`: signs others in first, and turns
    /// refusals into pages people can read.
    func page(
        _ request: Request, roles: Set<UserRole>,
        _ body: (Visitor) async throws -> Response
    ) async throws -> Response {
        guard let visitor = try await visitor(request) else {
            return Self.redirect("/signin")
        }
        guard roles.contains(visitor.user.role) else {
            return render(
                "message", title: "Not available to your role",
                data: [
                    "text":
                        "This page is for \(roles.map(\.title).sorted().joined(separator: ", ")). You are signed in as \(visitor.user.role.title)."
                ],
                visitor: visitor, status: .forbidden)
        }
        do {
            return try await body(visitor)
        } catch let error as RefGateError where error.code.fault == .client {
            return render(
                "message", title: error.code.title, data: ["text": error.detail], visitor: visitor,
                status: ProblemDetails.status(for: error.code))
        }
    }

    /// Runs a form post: signed in, with the role, and carrying the session's CSRF token.
    func form(
        _ request: Request, roles: Set<UserRole>,
        _ body: (Visitor, [String: String]) async throws -> Response
    ) async throws -> Response {
        try await page(request, roles: roles) { visitor in
            let fields = try await FormBody.read(request)
            guard Self.sameSecret(visitor.csrf, fields["csrf"]) else {
                throw RefGateError(
                    .csrfInvalid, "the form's token is missing or old: go back, reload the page and try again")
            }
            return try await body(visitor, fields)
        }
    }

    /// Renders a page inside the layout.
    func render(
        _ template: String, title: String, data: [String: Any], visitor: Visitor?, warnings: [String] = [],
        flash: String? = nil, status: HTTPResponse.Status = .ok, current: String? = nil
    ) -> Response {
        let content = library.render(Self.withoutNils(data), withTemplate: template) ?? ""
        var layout: [String: Any] = [
            "title": title, "authorityName": authorityName, "content": content, "warnings": warnings,
            "flash": flash as Any,
        ]
        if let visitor {
            layout["user"] =
                [
                    "name": visitor.user.name, "roleTitle": visitor.user.role.title, "csrf": visitor.csrf,
                    "nav": Self.menu.filter {
                        $0.roles.contains(visitor.user.role) && ($0.href != "/region" || visitor.coordinator)
                    }.map {
                        ["href": $0.href, "label": $0.label, "current": $0.href == current]
                    },
                ] as [String: Any]
        }
        let html = library.render(Self.withoutNils(layout), withTemplate: "layout") ?? ""
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                .xContentTypeOptions: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
                .cacheControl: "no-store",
                HTTPField.Name("X-Frame-Options")!: "DENY",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Drops absent values, so a template's `{{#x}}` section is skipped for them rather than
    /// showing "nil".
    static func withoutNils(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let child = mirror.children.first else { return nil }
            return withoutNils(child.value)
        }
        if let dictionary = value as? [String: Any] {
            return dictionary.compactMapValues { withoutNils($0) }
        }
        if let array = value as? [Any] {
            return array.compactMap { withoutNils($0) }
        }
        return value
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// Compares two secrets in constant time; nil or empty never matches.
    static func sameSecret(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b, !a.isEmpty else { return false }
        return AuthenticationMiddleware.constantTimeEqual(Array(a.utf8), Array(b.utf8))
    }
}
