import Foundation
import RefGateCore
import RefGateStore

/// A signed receipt as the local API shows it.
public struct ReceiptView: Codable, Sendable, Hashable {
    /// The receipted message.
    public var messageID: String
    /// The receipt's own id.
    public var receiptID: String
    /// The compact JWS of the receipt, byte-exact.
    public var jws: String
    /// When the receiving node accepted the message.
    public var receivedAt: Date

    /// The view of a stored record.
    public init(_ record: ReceiptRecord) {
        messageID = record.messageID
        receiptID = record.receiptID
        jws = record.jws
        receivedAt = record.receivedAt
    }
}
