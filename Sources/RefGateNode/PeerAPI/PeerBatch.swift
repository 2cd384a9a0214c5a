import Foundation

/// The body of `POST /peer/v1/messages/batch`: several signed messages in one exchange, so a
/// busy link pays for HTTP, TLS records and a commit once per batch instead of once per
/// message. Each message is checked and receipted exactly as if it came alone.
public struct PeerBatch: Codable, Sendable, Equatable {
    /// Compact JWS messages, each at most the node's message cap.
    public var messages: [String]

    /// Creates a batch.
    public init(messages: [String]) { self.messages = messages }

    /// The media type of a batch and of its answer.
    public static let mediaType = "application/json"
    /// Messages in one batch at most; a sender never puts more in one.
    public static let maxMessages = 64
    /// The largest batch body a node takes (or its message cap, if that is larger).
    public static let maxBytes = 1_048_576
}

/// The answer to a batch (`200`): one result per message, in the batch's order.
public struct PeerBatchAnswer: Codable, Sendable, Equatable {
    /// The results, in order.
    public var results: [Result]

    /// Creates an answer.
    public init(results: [Result]) { self.results = results }

    /// What became of one message: its signed receipt, exactly as `POST /peer/v1/messages`
    /// would have answered with `200`, or the problem it would have answered with.
    public struct Result: Codable, Sendable, Equatable {
        /// The compact JWS receipt, when the message was accepted (or seen before).
        public var receipt: String?
        /// Why it was refused, otherwise.
        public var problem: ProblemDetails?

        /// A receipt.
        public init(receipt: String) { self.receipt = receipt }
        /// A refusal.
        public init(problem: ProblemDetails) { self.problem = problem }
    }
}
