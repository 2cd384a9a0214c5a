import RefGateCore
import ServiceLifecycle

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
/// e-mailed from the sign-in page. E-mailing runs in this service, not in the request: the form's
/// answer takes the same time whether or not the address has an account.
public struct OneTimeCodeSignIn: SignInProvider, Service {
    let accounts: Accounts
    private let requests: AsyncStream<String>
    private let queue: AsyncStream<String>.Continuation

    /// Creates the provider. At most `queueLimit` requests wait to be handled; more are dropped
    /// (the form's answer does not change), so a flood cannot grow memory.
    public init(accounts: Accounts, queueLimit: Int = 256) {
        self.accounts = accounts
        (requests, queue) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(queueLimit))
    }

    /// Spends the code and starts a session.
    public func signIn(form: [String: String]) async throws -> Accounts.Session {
        guard let email = form["email"], !email.isEmpty, let code = form["code"], !code.isEmpty else {
            throw RefGateError(.invalidInput, "enter your e-mail address and your one-time code")
        }
        return try await accounts.signIn(email: email, code: code)
    }

    /// Queues the address; ``run()`` e-mails a code if it has an account and e-mail is set up.
    public func requestCode(email: String) async throws {
        queue.yield(email)
    }

    /// Handles queued requests until graceful shutdown.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await email in requests {
                do {
                    try await accounts.emailSignInCode(email: email)
                } catch {
                    // The address is personal data: the error alone is logged.
                    accounts.logger.error("could not queue a sign-in code", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            queue.finish()
        }
    }
}
