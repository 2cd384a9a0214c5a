import Foundation

/// An entry of the audit log as it is hashed: canonical JSON (sorted keys, no insignificant
/// space). The stored bytes are the evidence; this type reads and writes them.
public struct AuditEntry: Codable, Sendable, Hashable {
    /// Its index in the log (the Merkle leaf index), from 0.
    public var seq: Int
    /// The leaf hash (hex) of the entry before it; empty for the first. A changed, removed or
    /// moved entry breaks this link at the entry after it.
    public var prev: String
    /// When it happened (RFC 3339, UTC, milliseconds).
    public var at: String
    /// What happened.
    public var action: AuditAction
    /// The case, if any.
    public var `case`: String?
    /// What it was done to.
    public var subject: String?
    /// Who did it.
    public var actor: AuditActor?
    /// Short facts.
    public var detail: [String: String]?

    /// Creates the entry for `event` at `seq`.
    public init(seq: Int, prev: String, at time: Date, event: AuditEvent) {
        self.seq = seq
        self.prev = prev
        at = MessageCoding.formatInstant(time)
        action = event.action
        `case` = event.caseID
        subject = event.subject
        actor = event.actor
        detail = event.detail.isEmpty ? nil : event.detail
    }

    /// The canonical bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads stored bytes.
    public static func decode(_ data: Data) throws -> AuditEntry {
        try JSONDecoder().decode(AuditEntry.self, from: data)
    }

    /// An entry's place in the log and its link to the one before: what `audit verify` reads
    /// of each entry (the whole entry is hashed as stored).
    public struct Link: Decodable, Sendable {
        /// The entry's index.
        public var seq: Int
        /// The previous entry's leaf hash, hex.
        public var prev: String
    }
}
