import Foundation
import RefGateCore
import RefGateStore

/// One API token of a user as the local API lists it (never the secret).
public struct APITokenView: Codable, Sendable, Hashable {
    /// Its id: the first 8 bytes of the token's SHA-256, in hex.
    public var id: String
    /// When it was issued.
    public var createdAt: Date
    /// When it stops working, if it does.
    public var expiresAt: Date?
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    /// The view of a stored record.
    public init(_ record: APITokenRecord) {
        id = record.id
        createdAt = record.createdAt
        expiresAt = record.expiresAt
        revokedAt = record.revokedAt
    }
}
