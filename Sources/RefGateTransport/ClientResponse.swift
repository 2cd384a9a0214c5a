import Foundation
import HTTPTypes

/// A completed HTTP exchange, in swift-http-types' terms.
public struct ClientResponse: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// The response's header fields (the last response's, after any 1xx).
    public var headerFields: HTTPFields
    /// The body, at most `maxResponseBytes`.
    public var body: Data
    /// `Retry-After` in seconds, as libcurl reads it (both forms: seconds and an HTTP date).
    public var retryAfter: TimeInterval?
    /// New connections libcurl opened for this exchange (0 when it reused a kept-alive one).
    public var newConnections: Int

    /// Creates a response (the client makes them; so do layers that split one exchange's
    /// answer into several, like a batch of messages).
    public init(
        status: HTTPResponse.Status, headerFields: HTTPFields, body: Data, retryAfter: TimeInterval?,
        newConnections: Int
    ) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
        self.retryAfter = retryAfter
        self.newConnections = newConnections
    }

    /// The `Content-Type` field, if any.
    public var contentType: String? { headerFields[.contentType] }
}
