import RefGateTransport
import ServiceLifecycle

/// Owns the libcurl client's lifetime: shuts it down after graceful shutdown begins.
/// It is listed just before the deliverer in the node's group, so it stops right after the
/// deliverer drains and before the listeners.
struct HTTPClientService: Service {
    let client: CurlHTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
