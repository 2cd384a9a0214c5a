import Hummingbird

/// Turns every error thrown below it into an `application/problem+json` response.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return ProblemDetails.response(for: error, logger: context.logger)
        }
    }
}
