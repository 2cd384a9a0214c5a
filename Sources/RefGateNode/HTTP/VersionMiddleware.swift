import HTTPTypes
import Hummingbird
import RefGateBuildInfo

/// Puts `RefGate-Version` on every answer, so a peer (and an operator's `curl -i`) can tell
/// which release it talks to: a region always runs mixed versions.
struct VersionMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.refgateVersion] = RefGateVersion.release
        return response
    }
}

extension HTTPField.Name {
    /// `RefGate-Version`: the sender's release, on peer requests and on every answer.
    static let refgateVersion = HTTPField.Name("RefGate-Version")!
}
