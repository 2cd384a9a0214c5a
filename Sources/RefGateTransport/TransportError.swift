import Foundation

/// Why an outbound HTTP exchange failed. `code` is stable; match on it, not on `detail`.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var code: Code
    /// What libcurl or the peer said.
    public var detail: String
    /// The libcurl error number, when libcurl failed the transfer.
    public var curlCode: Int?
    /// The HTTP status, for `httpStatus`.
    public var status: Int?
    /// The response body, for `httpStatus` (often `application/problem+json`).
    public var body: Data?
    /// The peer's `Retry-After`, in seconds, for `httpStatus`.
    public var retryAfter: TimeInterval?

    /// Creates an error.
    public init(_ code: Code, _ detail: String, curlCode: Int? = nil, status: Int? = nil, body: Data? = nil) {
        self.code = code
        self.detail = detail
        self.curlCode = curlCode
        self.status = status
        self.body = body
    }

    /// `code: detail`.
    public var description: String { "\(code.rawValue): \(detail)" }

    /// A stable failure code.
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// The code's text.
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Nothing listens at the address (TCP connection refused or unreachable).
        public static let connectRefused = Self(rawValue: "connect-refused")
        /// The host name does not resolve.
        public static let unresolvable = Self(rawValue: "unresolvable")
        /// The TLS handshake failed or the peer refused our client certificate.
        /// Under TLS 1.2 that is curl error 35; under TLS 1.3 the refusal comes after the
        /// handshake, as error 56 on first read or 55 on send, on a new connection.
        public static let tlsRejected = Self(rawValue: "tls-rejected")
        /// The peer's certificate is not trusted by the regional CA, or does not match the host.
        public static let tlsPeerUntrusted = Self(rawValue: "tls-peer-untrusted")
        /// This node's own certificate, key or CA file could not be used.
        public static let localCredentials = Self(rawValue: "local-credentials")
        /// The connect or total timeout passed.
        public static let timeout = Self(rawValue: "timeout")
        /// The response body exceeded the size cap.
        public static let responseTooLarge = Self(rawValue: "response-too-large")
        /// The peer answered with a non-2xx HTTP status.
        public static let httpStatus = Self(rawValue: "http-status")
        /// The server refused permanently (an SMTP 5xx reply).
        public static let rejected = Self(rawValue: "rejected")
        /// The server refused our login.
        public static let loginDenied = Self(rawValue: "login-denied")
        /// The client is shut down.
        public static let shutdown = Self(rawValue: "shutdown")
        /// Any other failure.
        public static let other = Self(rawValue: "other")
    }

}
