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

    /// The canonical bytes: what `JSONEncoder` with sorted keys and unescaped slashes writes
    /// (`AuditEntryTests` holds the two to the same bytes), written directly.
    public func encoded() throws -> Data {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        writer.key("action", first: true)
        writer.string(action.rawValue)
        if let actor {
            writer.key("actor", first: false)
            writer.beginObject()
            writer.key("name", first: true)
            writer.string(actor.name)
            if let onBehalfOf = actor.onBehalfOf {
                writer.key("onBehalfOf", first: false)
                writer.string(onBehalfOf)
            }
            writer.key("role", first: false)
            writer.string(actor.role)
            if let user = actor.user {
                writer.key("user", first: false)
                writer.string(user)
            }
            writer.endObject()
        }
        writer.key("at", first: false)
        writer.string(at)
        if let `case` {
            writer.key("case", first: false)
            writer.string(`case`)
        }
        if let detail {
            writer.key("detail", first: false)
            writer.stringObject(detail)
        }
        writer.key("prev", first: false)
        writer.string(prev)
        writer.key("seq", first: false)
        writer.integer(seq)
        if let subject {
            writer.key("subject", first: false)
            writer.string(subject)
        }
        writer.endObject()
        return Data(writer.bytes)
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
