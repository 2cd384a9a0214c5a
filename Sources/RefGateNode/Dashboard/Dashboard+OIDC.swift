import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RefGateCore

extension Dashboard {
    /// The cookie that binds a login at the provider to the browser that started it. SameSite
    /// Lax: it must come back on the provider's top-level redirect to the callback.
    static let oidcCookie = "refgate_oidc"

    func addOIDC(_ router: Router<LocalRequestContext>) {
        router.get("/signin/oidc") { request, _ in
            guard let oidc = self.oidc else {
                return try await self.signInPage(
                    request, error: "This node does not sign people in through a provider.", email: "",
                    status: .notFound)
            }
            let (url, binding) = try await oidc.begin()
            var response = Response(status: .seeOther, headers: [.location: url, .cacheControl: "no-store"])
            response.setCookie(
                Cookie(
                    name: Self.oidcCookie, value: binding, maxAge: Int(OIDCSignIn.loginLifetime),
                    path: "/signin/oidc", secure: true, httpOnly: true, sameSite: .lax))
            return response
        }
        router.get("/signin/oidc/callback") { request, _ in
            guard let oidc = self.oidc else {
                return try await self.signInPage(
                    request, error: "This node does not sign people in through a provider.", email: "",
                    status: .notFound)
            }
            let query = request.uri.queryParameters
            guard let state = query["state"].map(String.init), let code = query["code"].map(String.init) else {
                // The provider's own refusal (access_denied, …): said in words, not echoed raw.
                return try await self.signInPage(
                    request, error: "The sign-in was not completed at the provider. Try again.", email: "",
                    status: .unauthorized)
            }
            let session: Accounts.Session
            do {
                session = try await oidc.complete(
                    state: state, code: code, binding: request.cookies[Self.oidcCookie]?.value)
            } catch let error as RefGateError where error.code.fault == .client {
                return try await self.signInPage(request, error: error.detail, email: "", status: .unauthorized)
            }
            // A page of this site moves the browser on: a Strict session cookie is not sent on a
            // redirect chain that a cross-site navigation (the provider's) started.
            let home = Self.home(for: session.user.role)
            var response = self.render(
                "message", title: "Signed in",
                data: [
                    "text": "You are signed in as \(session.user.name).",
                    "link": ["href": home, "label": "Continue"],
                ], visitor: nil)
            response.headers[HTTPField.Name("Refresh")!] = "0; url=\(home)"
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: session.cookie, maxAge: Int(Accounts.sessionLifetime), path: "/",
                    secure: true, httpOnly: true, sameSite: .strict))
            response.setCookie(
                Cookie(
                    name: Self.oidcCookie, value: "", maxAge: 0, path: "/signin/oidc", secure: true, httpOnly: true,
                    sameSite: .lax))
            return response
        }
    }

    /// The answer to a code form when codes are turned off.
    func codesOff(_ request: Request) async throws -> Response {
        try await signInPage(
            request, error: "One-time codes are turned off here: sign in with \(oidc?.displayName ?? "your provider").",
            email: "", status: .forbidden)
    }
}
