import Foundation

/// A signed acknowledgement that a node received and accepted a message (non-repudiation of receipt).
public struct Receipt: Codable, Sendable, Hashable {
    /// Always `receipt`.
    public var type: MessageKind = .receipt
    /// This receipt's unique id (UUID).
    public var id: String
    /// The receiving node, which signs the receipt.
    public var from: AuthorityID
    /// The sender of the receipted message.
    public var to: AuthorityID
    /// The id of the message received.
    public var messageId: String
    /// base64url SHA-256 of the exact JWS bytes received.
    public var messageDigest: String
    /// When the message was accepted.
    public var receivedAt: Date

    /// Creates a receipt.
    public init(
        id: String, from: AuthorityID, to: AuthorityID, messageId: String, messageDigest: String, receivedAt: Date
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.messageId = messageId
        self.messageDigest = messageDigest
        self.receivedAt = receivedAt
    }
}

extension Receipt {
    /// The payload `MessageCoding.encoder()` would write (sorted keys, instants as RFC 3339),
    /// written directly: a node signs one receipt per message it accepts. `ReceiptTests`
    /// holds the two to the same bytes.
    public func payload() -> Data {
        var writer = CanonicalJSONWriter(capacity: 320)
        writer.beginObject()
        writer.key("from", first: true)
        writer.string(from.rawValue)
        writer.key("id", first: false)
        writer.string(id)
        writer.key("messageDigest", first: false)
        writer.string(messageDigest)
        writer.key("messageId", first: false)
        writer.string(messageId)
        writer.key("receivedAt", first: false)
        writer.string(MessageCoding.formatInstant(receivedAt))
        writer.key("to", first: false)
        writer.string(to.rawValue)
        writer.key("type", first: false)
        writer.string(type.rawValue)
        writer.endObject()
        return Data(writer.bytes)
    }
}
