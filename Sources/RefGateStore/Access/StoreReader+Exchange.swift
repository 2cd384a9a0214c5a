import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// Every message exchanged with `peer` (sent to it or received from it) that this node
    /// recorded at or after `since` (after message `after`, when one recorded at `since` was the
    /// last of the previous page), oldest first, with its receipt: what the peer asks for after
    /// it restored a backup. At most `limit`.
    public func exchanged(with peer: AuthorityID, me: AuthorityID, since: Date, after: String? = nil, limit: Int) throws
        -> [(message: MessageRecord, receipt: ReceiptRecord?)]
    {
        let messages = try MessageRecord.fetchAll(
            try db.cached(
                """
                SELECT * FROM messages
                WHERE ((from_authority = ? AND to_authority = ?) OR (from_authority = ? AND to_authority = ?))
                    AND (recorded_at > ? OR (recorded_at = ? AND id > ?)) AND kind != 'receipt'
                ORDER BY recorded_at, id LIMIT ?
                """),
            arguments: [
                peer.rawValue, me.rawValue, me.rawValue, peer.rawValue, since.epochMilliseconds,
                since.epochMilliseconds, after ?? "", limit,
            ])
        return try messages.map { ($0, try receipt(messageID: $0.id)) }
    }
}
