import CCurl
import Foundation
import HTTPTypes
import Logging

/// An async HTTP(S) client on the libcurl multi interface.
///
/// One driver thread runs `curl_multi_poll`; every request in flight shares it, and the multi
/// handle's connection cache keeps connections to each peer alive for reuse. With TLS settings
/// it speaks only HTTPS: TLS 1.2 minimum, peer and host name always verified, the configured CA
/// file the only trust anchor (the system store is switched off), and a client certificate.
public final class CurlHTTPClient: Sendable {
    private let driver: CurlMultiDriver
    private let tls: HTTPClientConfiguration.TLS?

    /// Creates a client and starts its driver thread. Call `shutdown()` when done.
    public init(configuration: HTTPClientConfiguration, logger: Logger = Logger(label: "refgate.transport")) throws {
        self.driver = try CurlMultiDriver(configuration: configuration, logger: logger)
        self.tls = configuration.tls
    }

    /// Sends a request (POST when `body` is given, else GET) and returns the response, whatever its status.
    ///
    /// - Parameter pinnedPublicKey: over TLS, accept only a server whose key is this one, beside
    ///   the CA and host checks (libcurl's `sha256//<base64 SHA-256 of the SubjectPublicKeyInfo>`).
    public func send(
        url: String, body: Data? = nil, headerFields: HTTPFields = [:], pinnedPublicKey: String? = nil,
        method: String? = nil
    ) async throws -> ClientResponse {
        // "Expect:" stops libcurl waiting for 100-continue on larger bodies.
        let lines = headerFields.map { "\($0.name.rawName): \($0.value)" } + ["Expect:"]
        let tls = self.tls
        return try await driver.perform(description: url, overTLS: tls != nil) { easy, transfer in
            try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_URL, url), "URL")
            try curlCheck(
                refgate_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, tls == nil ? "http" : "https"), "protocols")
            try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0), "redirects")
            try curlCheck(
                refgate_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(transfer.maxResponseBytes)),
                "size cap")
            if let tls { try Self.configureTLS(easy, tls) }
            if let pinnedPublicKey {
                try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_PINNEDPUBLICKEY, pinnedPublicKey), "pinned key")
            }
            if let body {
                try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_POST, 1), "POST")
                try curlCheck(
                    refgate_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
                // COPYPOSTFIELDS copies the body into libcurl, so it need not outlive this call.
                try body.withUnsafeBytes { raw in
                    let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                    try curlCheck(
                        refgate_easy_setopt_pointer(
                            easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base)),
                        "body")
                }
            } else {
                try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "GET")
            }
            // Another method (PATCH) with the same body handling; nil keeps POST or GET.
            try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method), "method")
            try curlCheck(refgate_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, transfer.list(lines)), "headers")
        }
    }

    /// TLS 1.2+, verified peer and host, only the configured anchor, optional client certificate.
    static func configureTLS(_ easy: UnsafeMutableRawPointer, _ tls: HTTPClientConfiguration.TLS) throws {
        try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2)), "TLS version")
        try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "verify peer")
        try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "verify host")
        if let ca = tls.caCertificatePath {
            try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_CAINFO, ca), "CA file")
            // Debian's libcurl also reads /etc/ssl/certs unless CAPATH is cleared: trust this anchor only.
            try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_CAPATH, nil), "CA path")
        }
        if let certificate = tls.clientCertificatePath, let key = tls.clientKeyPath {
            try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_SSLCERT, certificate), "client certificate")
            try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_SSLCERTTYPE, "PEM"), "certificate type")
            try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_SSLKEY, key), "client key")
            try curlCheck(refgate_easy_setopt_string(easy, CURLOPT_SSLKEYTYPE, "PEM"), "key type")
        }
    }

    /// Like `send`, but throws `TransportError` with code `http-status` unless the status is 2xx.
    public func sendExpectingSuccess(
        url: String, body: Data? = nil, headerFields: HTTPFields = [:], pinnedPublicKey: String? = nil
    ) async throws -> ClientResponse {
        let response = try await send(
            url: url, body: body, headerFields: headerFields, pinnedPublicKey: pinnedPublicKey)
        guard response.status.kind == .successful else {
            let text = String(decoding: response.body.prefix(2000), as: UTF8.self)
            var error = TransportError(
                .httpStatus, "HTTP \(response.status.code): \(text)", status: response.status.code,
                body: response.body)
            error.retryAfter = response.retryAfter
            throw error
        }
        return response
    }

    /// Fails requests still in flight and stops the driver thread. Idempotent.
    public func shutdown() async {
        await driver.shutdown()
    }
}
