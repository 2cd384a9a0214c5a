import RefGateStore

/// A verification request sent, or the one an earlier call with the same idempotency key sent.
public struct SentRequest: Sendable {
    /// The case the request opened, as it is now.
    public var record: CaseView
    /// True when an earlier call with the same key opened it, and nothing new was sent.
    public var replayed: Bool
}
