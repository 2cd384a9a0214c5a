import Foundation

/// A completed HTTP exchange.
public struct HTTPResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// The `Content-Type` header, if any.
    public var contentType: String?
    /// The body, at most `maxResponseBytes`.
    public var body: Data
    /// The `Retry-After` header in seconds (libcurl reads both forms: seconds and an HTTP date).
    public var retryAfter: TimeInterval?
    /// New connections libcurl opened for this exchange (0 when it reused a kept-alive one).
    public var newConnections: Int
}
