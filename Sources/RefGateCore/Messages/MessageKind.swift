/// The kinds of signed message nodes exchange; the `type` field of every message.
public enum MessageKind: String, Codable, Sendable, CaseIterable {
    /// A commissioning authority asks a providing authority to verify a reference.
    case verificationRequest = "verification-request"
    /// The providing authority's answer.
    case verificationResponse = "verification-response"
    /// A signed acknowledgement that a message was received and accepted.
    case receipt
    /// The commissioning authority escalates a case up the ladder.
    case escalationNotice = "escalation-notice"
    /// The providing authority's role holder acknowledges an escalation.
    case escalationAcknowledgement = "escalation-acknowledgement"
    /// An authority hands a peer its signed audit tree head to witness.
    case checkpoint
    /// An authority's monthly figures for the region's coordinator (no personal data).
    case regionalFigures = "regional-figures"

    /// The schema file name (in `schemas/`) for this kind.
    public var schemaName: String { "\(rawValue).schema.json" }
}
