import Foundation

/// The answer of `GET /peer/v1/exchange?since=…`: the messages this node exchanged with the
/// caller (named by its client certificate) since then, byte-exact, each with its receipt, so
/// a caller that restored a backup can take back what it lost.
public struct ExchangeLog: Codable, Sendable, Hashable {
    /// One message.
    public struct Entry: Codable, Sendable, Hashable {
        /// The message's id (the next page starts after it).
        public var id: String
        /// The signed message (compact JWS), as sent.
        public var message: String
        /// Its signed receipt (compact JWS): the one the caller issued for a message it received,
        /// or the one it returned for a message it sent. None while it is undelivered.
        public var receipt: String?
        /// When the answering node recorded it.
        public var recordedAt: Date
    }

    /// Oldest first.
    public var entries: [Entry]
    /// False when there are more: ask again with `since` the last entry's `recordedAt` and
    /// `after` its `id`.
    public var complete: Bool

    /// Most entries in one answer.
    public static let pageSize = 1000
    /// Most bytes of messages and receipts in one answer (a peer's client takes 1 MiB at most).
    public static let pageBytes = 512 * 1024
}
