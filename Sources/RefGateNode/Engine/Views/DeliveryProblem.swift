import Foundation
import RefGateCore

/// A message operators should look at: parked, expired, or failing again and again.
public struct DeliveryProblem: Codable, Sendable, Hashable {
    /// The delivery.
    public var entry: DeliveryView
    /// The message's kind.
    public var kind: MessageKind
}
