import Foundation

/// What an idempotency key opened: the case, and the digest of the request that opened it.
public struct RequestKeyRecord: Sendable, Hashable {
    /// The client's key.
    public var key: String
    /// The case the first request with the key opened.
    public var caseID: String
    /// SHA-256 of that request's draft, so a different request under the same key is refused.
    public var draftDigest: String
    /// When the first request with the key was made.
    public var createdAt: Date

    /// Creates a record.
    public init(key: String, caseID: String, draftDigest: String, createdAt: Date) {
        self.key = key
        self.caseID = caseID
        self.draftDigest = draftDigest
        self.createdAt = createdAt
    }
}
