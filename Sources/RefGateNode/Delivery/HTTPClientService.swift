import RefGateTransport
import ServiceLifecycle

/// Owns the libcurl client's lifetime: shuts it down after graceful shutdown begins.
/// It is listed first in the node's group, so it stops last, after the deliverer drains.
struct HTTPClientService: Service {
    let client: CurlHTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
