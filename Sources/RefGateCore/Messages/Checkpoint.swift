import Foundation

/// An authority hands a peer its latest signed tree head to witness (`checkpoint.schema.json`).
public struct Checkpoint: Codable, Sendable, Hashable {
    /// Always `checkpoint`.
    public var type: MessageKind = .checkpoint
    /// This message's id.
    public var id: String
    /// Whose log the head covers.
    public var from: AuthorityID
    /// The witness.
    public var to: AuthorityID
    /// When signed.
    public var sentAt: Date
    /// The signed tree head (compact JWS over a ``TreeHead``).
    public var treeHead: String
    /// Proof that the head extends the last one the witness receipted.
    public var consistency: Consistency?

    /// An RFC 6962 consistency proof from an earlier tree size.
    public struct Consistency: Codable, Sendable, Hashable {
        /// The earlier size.
        public var fromSize: Int
        /// The proof's hashes, lower-case hex.
        public var proof: [String]
        /// Creates a proof.
        public init(fromSize: Int, proof: [String]) {
            self.fromSize = fromSize
            self.proof = proof
        }
    }

    /// Creates a checkpoint.
    public init(
        id: String, from: AuthorityID, to: AuthorityID, sentAt: Date, treeHead: String, consistency: Consistency?
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.treeHead = treeHead
        self.consistency = consistency
    }
}
