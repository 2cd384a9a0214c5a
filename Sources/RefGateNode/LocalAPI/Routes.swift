import HTTPTypes
import Hummingbird
import RefGateCore

/// Registers local API handlers, each behind the role check of its row in
/// ``LocalAPI/endpoints``; a route missing from that table cannot be registered.
struct Routes {
    let group: RouterGroup<LocalRequestContext>

    func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, LocalRequestContext, Principal) async throws -> Output
    ) {
        guard let endpoint = LocalAPI.endpoints.first(where: { $0.method == method && $0.path == path }) else {
            preconditionFailure("\(method) \(path) is not in LocalAPI.endpoints")
        }
        let roles = endpoint.roles
        // Hummingbird writes parameters as `:name`; the table uses OpenAPI's `{name}`.
        let routerPath = path.split(separator: "/").map { part in
            part.hasPrefix("{") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
        group.on(RouterPath(routerPath), method: method) { request, context in
            guard let principal = context.principal else {
                throw RefGateError(.unauthorized, "send Authorization: Bearer <token>")
            }
            guard principal.may(roles) else {
                throw RefGateError(
                    .roleForbidden,
                    "\(method) /api/v1\(path) is for \(roles.map(\.rawValue).sorted().joined(separator: ", ")); you are \(principal.user?.role.rawValue ?? "node")"
                )
            }
            return try await handler(request, context, principal)
        }
    }
}
