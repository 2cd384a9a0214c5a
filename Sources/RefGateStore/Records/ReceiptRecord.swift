import Foundation
import GRDB

/// A signed receipt for a message: issued by this node (incoming) or returned by the peer (outgoing).
public struct ReceiptRecord: Sendable, Hashable, FetchableRecord {
    /// The receipted message.
    public var messageID: String
    /// The receipt's own id.
    public var receiptID: String
    /// The compact JWS of the receipt, byte-exact.
    public var jws: String
    /// When the receiving node accepted the message.
    public var receivedAt: Date

    /// Creates a receipt record.
    public init(messageID: String, receiptID: String, jws: String, receivedAt: Date) {
        self.messageID = messageID
        self.receiptID = receiptID
        self.jws = jws
        self.receivedAt = receivedAt
    }

    /// Maps its row by hand: its columns differ from its properties.
    public init(row: Row) {
        messageID = row["message_id"]
        receiptID = row["receipt_id"]
        let bytes: Data = row["jws"]
        jws = String(decoding: bytes, as: UTF8.self)
        receivedAt = row.instant("received_at")
    }
}

extension ReceiptRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "receipts"

    /// Its columns, as `init(row:)` reads them.
    public func encode(to container: inout PersistenceContainer) {
        container["message_id"] = messageID
        container["receipt_id"] = receiptID
        container["jws"] = Data(jws.utf8)
        container["received_at"] = receivedAt.epochMilliseconds
    }
}
