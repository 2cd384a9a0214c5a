import CCurl
import Foundation
import Logging

/// An async HTTP(S) client on the libcurl multi interface.
///
/// One driver thread runs `curl_multi_poll`; every request in flight shares it, and the multi
/// handle's connection cache keeps connections to each peer alive for reuse. With TLS settings
/// it speaks only HTTPS: TLS 1.2 minimum, peer and host name always verified, the regional CA
/// file the only trust anchor (the system store is switched off), and a client certificate.
public final class CurlHTTPClient: Sendable {
    private let driver: CurlMultiDriver

    /// Creates a client and starts its driver thread. Call `shutdown()` when done.
    public init(configuration: HTTPClientConfiguration, logger: Logger = Logger(label: "refgate.transport")) throws {
        self.driver = try CurlMultiDriver(configuration: configuration, logger: logger)
    }

    /// Sends a request (POST when `body` is given, else GET) and returns the response, whatever its status.
    public func send(url: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> HTTPResponse {
        // "Expect:" stops libcurl waiting for 100-continue on larger bodies.
        let lines = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" } + ["Expect:"]
        return try await driver.perform(url: url, body: body, headers: lines)
    }

    /// Like `send`, but throws `TransportError` with code `http-status` unless the status is 2xx.
    public func sendExpectingSuccess(
        url: String, body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> HTTPResponse {
        let response = try await send(url: url, body: body, headers: headers)
        guard (200..<300).contains(response.status) else {
            let text = String(decoding: response.body.prefix(2000), as: UTF8.self)
            throw TransportError(
                .httpStatus, "HTTP \(response.status): \(text)", status: response.status, body: response.body)
        }
        return response
    }

    /// Fails requests still in flight and stops the driver thread. Idempotent.
    public func shutdown() async {
        await driver.shutdown()
    }
}
