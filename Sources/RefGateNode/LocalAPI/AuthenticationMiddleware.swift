import Hummingbird
import RefGateCore

/// Finds who is calling from `Authorization: Bearer …`: the node's token file, or a user's API
/// token. Compares the node token in constant time; user tokens are looked up by hash.
struct AuthenticationMiddleware: RouterMiddleware {
    let nodeToken: String
    let accounts: Accounts

    func handle(
        _ request: Request, context: LocalRequestContext,
        next: (Request, LocalRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw RefGateError(
                .unauthorized,
                "send Authorization: Bearer <token>: a user's token from 'refgate user add', or the node's token file")
        }
        let token = String(header.dropFirst(7))
        var context = context
        if Self.constantTimeEqual(Array(token.utf8), Array(nodeToken.utf8)) {
            context.principal = .node
        } else if let user = try await accounts.user(apiToken: token) {
            context.principal = .user(user)
        } else {
            throw RefGateError(.unauthorized, "the bearer token is unknown or revoked; ask an administrator for one")
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
