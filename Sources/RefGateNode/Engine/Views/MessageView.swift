import Foundation
import RefGateCore
import RefGateStore

/// A stored message as the local API shows it, with its exact JWS.
public struct MessageView: Codable, Sendable, Hashable {
    /// In or out.
    public enum Direction: String, Codable, Sendable, Hashable {
        /// Received from a peer.
        case incoming = "in"
        /// Sent to a peer.
        case outgoing = "out"
    }

    /// Message id.
    public var id: String
    /// The case it belongs to.
    public var caseID: String?
    /// In or out.
    public var direction: Direction
    /// What it is.
    public var kind: MessageKind
    /// Sender.
    public var from: AuthorityID
    /// Addressee.
    public var to: AuthorityID
    /// When the sender says it was sent.
    public var sentAt: Date
    /// When this node stored it.
    public var recordedAt: Date
    /// The compact JWS, byte-exact.
    public var jws: String
    /// SHA-256 of the JWS, hex.
    public var digest: String

    /// The view of a stored record.
    public init(_ record: MessageRecord) {
        id = record.id
        caseID = record.caseID
        direction = record.direction == .incoming ? .incoming : .outgoing
        kind = record.kind
        from = record.from
        to = record.to
        sentAt = record.sentAt
        recordedAt = record.recordedAt
        jws = record.jws
        digest = record.digest
    }
}
