/// The result of accepting a peer message.
public struct AcceptedMessage: Sendable {
    /// The signed receipt (compact JWS) to return.
    public var receipt: String
    /// True when the message had been accepted before and nothing changed.
    public var duplicate: Bool
}
