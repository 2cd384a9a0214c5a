import HTTPTypes
import Hummingbird
import RefGateBuildInfo

/// Puts `RefGate-Version` on every answer, so a peer (and an operator's `curl -i`) can tell
/// which release it talks to: a region always runs mixed versions; and, when it knows it,
/// `RefGate-Directory-Version`, so a peer holding an older directory fetches the newer one.
struct VersionMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The version of the directory in force.
    var directoryVersion: (@Sendable () async -> Int)? = nil

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.refgateVersion] = RefGateVersion.release
        if let directoryVersion { response.headers[.refgateDirectoryVersion] = "\(await directoryVersion())" }
        return response
    }
}

extension HTTPField.Name {
    /// `RefGate-Version`: the sender's release, on peer requests and on every answer.
    static let refgateVersion = HTTPField.Name("RefGate-Version")!
    /// `RefGate-Directory-Version`: the version of the directory the sender holds.
    static let refgateDirectoryVersion = HTTPField.Name("RefGate-Directory-Version")!
}
