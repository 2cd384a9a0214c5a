import Foundation
import GRDB
import RefGateCore

/// A signed message sent or received, kept byte-exact.
public struct MessageRecord: Sendable, Hashable, FetchableRecord {
    /// Whether the message came in or went out.
    public enum Direction: String, Sendable, Codable {
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
    /// Message kind.
    public var kind: MessageKind
    /// Sender.
    public var from: AuthorityID
    /// Addressee.
    public var to: AuthorityID
    /// When the sender signed it.
    public var sentAt: Date
    /// When this node stored it.
    public var recordedAt: Date
    /// The compact JWS, exactly as sent or received.
    public var jws: String
    /// base64url SHA-256 of `jws`.
    public var digest: String

    /// Creates a message record.
    public init(
        id: String, caseID: String?, direction: Direction, kind: MessageKind, from: AuthorityID, to: AuthorityID,
        sentAt: Date, recordedAt: Date, jws: String, digest: String
    ) {
        self.id = id
        self.caseID = caseID
        self.direction = direction
        self.kind = kind
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.recordedAt = recordedAt
        self.jws = jws
        self.digest = digest
    }

    /// Maps its row by hand: its columns differ from its properties.
    public init(row: Row) throws {
        id = row["id"]
        caseID = row["case_id"]
        let directionText: String = row["direction"]
        let kindText: String = row["kind"]
        let fromText: String = row["from_authority"]
        let toText: String = row["to_authority"]
        guard let direction = Direction(rawValue: directionText), let kind = MessageKind(rawValue: kindText),
            let from = AuthorityID(rawValue: fromText), let to = AuthorityID(rawValue: toText)
        else {
            throw RefGateError(.storedDataUnknown, "stored message \(id) has fields unknown to this version")
        }
        self.direction = direction
        self.kind = kind
        self.from = from
        self.to = to
        sentAt = row.instant("sent_at")
        recordedAt = row.instant("recorded_at")
        let bytes: Data = row["jws"]
        jws = String(decoding: bytes, as: UTF8.self)
        digest = row["digest"]
    }
}

extension MessageRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "messages"

    /// Its columns, as `init(row:)` reads them: the JWS byte-exact as a BLOB.
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["case_id"] = caseID
        container["direction"] = direction.rawValue
        container["kind"] = kind.rawValue
        container["from_authority"] = from.rawValue
        container["to_authority"] = to.rawValue
        container["sent_at"] = sentAt.epochMilliseconds
        container["recorded_at"] = recordedAt.epochMilliseconds
        container["jws"] = Data(jws.utf8)
        container["digest"] = digest
    }
}
