import RefGateCore

/// How people prove who they are to the dashboard. The pages see only the session this returns,
/// so OpenID Connect (Microsoft Entra ID, which most councils use) can be added as another
/// provider without touching them.
public protocol SignInProvider: Sendable {
    /// Checks the fields of the sign-in form and starts a session.
    func signIn(form: [String: String]) async throws -> Accounts.Session
    /// Sends a code (or starts whatever the provider does) for an address; says nothing about
    /// whether the address has an account.
    func requestCode(email: String) async throws
}

/// Sign-in with an e-mail address and a one-time code, issued by `refgate user sign-in-code` or
/// e-mailed from the sign-in page.
public struct OneTimeCodeSignIn: SignInProvider {
    let accounts: Accounts

    /// Creates the provider.
    public init(accounts: Accounts) { self.accounts = accounts }

    /// Spends the code and starts a session.
    public func signIn(form: [String: String]) async throws -> Accounts.Session {
        guard let email = form["email"], !email.isEmpty, let code = form["code"], !code.isEmpty else {
            throw RefGateError(.invalidInput, "enter your e-mail address and your one-time code")
        }
        return try await accounts.signIn(email: email, code: code)
    }

    /// E-mails a code if the address has an account and e-mail is set up.
    public func requestCode(email: String) async throws {
        try await accounts.emailSignInCode(email: email)
    }
}
