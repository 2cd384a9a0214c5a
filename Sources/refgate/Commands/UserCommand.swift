import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode
import RefGateStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "People who use the local API and the dashboard: add, list, issue tokens and sign-in codes, revoke.",
        subcommands: [
            Add.self, Update.self, List.self, Token.self, Tokens.self, RevokeToken.self, SignInCode.self, Revoke.self,
        ])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user and print their API token (shown once; the node keeps only its hash).")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "Their name.") var name: String
        @Option(help: "Their e-mail address (they sign in to the dashboard with it).") var email: String
        @Option(help: "recruiter, responder, service-manager, head-of-service, operator or admin.") var role: UserRole
        @Option(help: "Their post in your authority's words, as signed messages show it (\"Group manager\").")
        var jobTitle: String?
        @Option(
            help:
                "Their level in the procedure: team-manager, service-manager or head-of-service (default: the job title's, from the configuration's jobTitles)."
        )
        var seniority: Seniority?
        @Option(help: "Days until their first API token expires (default: it lasts until revoked).")
        var expiresInDays: Int?

        func run() async throws {
            let issued = try await APIClient(configurationPath: config).post(
                "/users",
                UserInput(
                    name: name, email: email, role: role, jobTitle: jobTitle, seniority: seniority,
                    tokenExpiresInDays: expiresInDays),
                as: Accounts.Issued.self)
            print(
                "user \(issued.user.id) added: \(issued.user.name) <\(issued.user.email)>, \(issued.user.role.rawValue)\(Update.level(issued.user))"
            )
            print("API token (shown once\(Token.expiry(issued))): \(issued.token)")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user's job title and level in the procedure (para 5, the ladder).")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The user's id or e-mail address.") var user: String
        @Option(help: "Their post in your authority's words; alone, its level comes from jobTitles.")
        var jobTitle: String?
        @Option(help: "team-manager, service-manager or head-of-service.") var seniority: Seniority?
        @Option(
            help:
                "Their subject at the council's OpenID Connect provider (sub, or Entra's object id); \"\" unbinds it.")
        var oidcSubject: String?

        func validate() throws {
            guard jobTitle != nil || seniority != nil || oidcSubject != nil else {
                throw ValidationError("give --job-title, --seniority, --oidc-subject or several")
            }
        }

        func run() async throws {
            let user = try await APIClient(configurationPath: config).call(
                "/users/\(Token.escape(user))",
                body: try MessageCoding.encoder().encode(
                    UserUpdateInput(jobTitle: jobTitle, seniority: seniority, oidcSubject: oidcSubject)),
                as: UserView.self, method: "PATCH")
            print("user \(user.id) updated: \(user.name)\(Self.level(user))")
        }

        /// ", Group manager (service-manager)", or nothing when neither is known.
        static func level(_ user: UserView) -> String {
            switch (user.jobTitle, user.seniority) {
            case (let title?, let level?): ", \(title) (\(level.rawValue))"
            case (let title?, nil): ", \(title) (no seniority: set one with --seniority)"
            case (nil, let level?): ", \(level.rawValue)"
            case (nil, nil): ""
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every user, revoked ones too.")

        @Option(help: "This node's configuration file.") var config: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let users = try await APIClient(configurationPath: config).get("/users", as: [UserSummary].self)
            if json {
                print(try Printing.json(users))
                return
            }
            if users.isEmpty { print("no users: add one with 'refgate user add'") }
            for summary in users {
                let user = summary.user
                let state =
                    user.revokedAt.map { "revoked \(MessageCoding.formatInstant($0))" }
                    ?? "\(summary.apiTokens) API token(s)"
                print("\(user.id)  \(user.name)  <\(user.email)>  \(user.role.rawValue)\(Update.level(user))  \(state)")
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue another API token to a user (shown once).")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The user's id or e-mail address.") var user: String
        @Option(help: "Days until the token expires (default: it lasts until revoked).") var expiresInDays: Int?

        func run() async throws {
            let issued = try await APIClient(configurationPath: config).call(
                "/users/\(Self.escape(user))/tokens",
                body: try MessageCoding.encoder().encode(TokenInput(expiresInDays: expiresInDays)),
                as: Accounts.Issued.self)
            print("API token for \(issued.user.email) (shown once\(Self.expiry(issued))): \(issued.token)")
        }

        static func escape(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? text
        }

        static func expiry(_ issued: Accounts.Issued) -> String {
            issued.expiresAt.map { "; expires \(MessageCoding.formatInstant($0))" } ?? ""
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a user's API tokens by id (the tokens themselves are never stored).")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The user's id or e-mail address.") var user: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let tokens = try await APIClient(configurationPath: config).get(
                "/users/\(Token.escape(user))/tokens", as: [APITokenView].self)
            if json {
                print(try Printing.json(tokens))
                return
            }
            if tokens.isEmpty { print("no API tokens: issue one with 'refgate user token'") }
            for token in tokens {
                let state =
                    token.revokedAt.map { "revoked \(MessageCoding.formatInstant($0))" }
                    ?? token.expiresAt.map { "expires \(MessageCoding.formatInstant($0))" } ?? "no expiry"
                print("\(token.id)  issued \(MessageCoding.formatInstant(token.createdAt))  \(state)")
            }
        }
    }

    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-token", abstract: "Revoke one API token of a user; their others keep working.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The user's id or e-mail address.") var user: String
        @Option(help: "The token's id, as 'refgate user tokens' lists it.") var token: String

        func run() async throws {
            let record = try await APIClient(configurationPath: config).call(
                "/users/\(Token.escape(user))/tokens/\(Token.escape(token))/revocation", body: Data(),
                as: APITokenView.self)
            print("API token \(record.id) of \(user) revoked")
        }
    }

    struct SignInCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-in-code",
            abstract: "Issue a one-time dashboard sign-in code to a user (works once, for 15 minutes).")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The user's id or e-mail address.") var user: String

        func run() async throws {
            let issued = try await APIClient(configurationPath: config).call(
                "/users/\(Token.escape(user))/sign-in-codes", body: Data(), as: Accounts.Issued.self)
            print("sign-in code for \(issued.user.email) (once, for 15 minutes): \(issued.token)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a user: their API tokens, codes and sessions stop working at once.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The user's id or e-mail address.") var user: String

        func run() async throws {
            let record = try await APIClient(configurationPath: config).call(
                "/users/\(Token.escape(user))/revocation", body: Data(), as: UserView.self)
            print("user \(record.id) <\(record.email)> revoked")
        }
    }
}

extension UserRole: ExpressibleByArgument {}
extension Seniority: ExpressibleByArgument {}
