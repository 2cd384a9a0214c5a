import HTTPTypes
import Hummingbird

/// Reads `RefGate-Directory-Version` from peers' requests: a peer holding a newer directory
/// than this node's makes the directory fetcher look at once.
struct DirectoryHintMiddleware<Context: RequestContext>: RouterMiddleware {
    let told: @Sendable (Int) async -> Void

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let text = request.headers[.refgateDirectoryVersion], text.utf8.count <= 10, let version = Int(text) {
            await told(version)
        }
        return try await next(request, context)
    }
}
