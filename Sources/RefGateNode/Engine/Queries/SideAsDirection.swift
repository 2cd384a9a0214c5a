import RefGateCore

/// A `CaseSide` written in JSON as its direction (`sent`, `received`), as the outstanding
/// table and case lists have always shown it.
@propertyWrapper
public struct SideAsDirection: Codable, Sendable, Hashable {
    /// The side.
    public var wrappedValue: CaseSide

    /// Wraps a side.
    public init(wrappedValue: CaseSide) { self.wrappedValue = wrappedValue }

    /// Reads `sent` or `received`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let side = CaseSide(direction: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "direction is sent or received, not \(text)"))
        }
        wrappedValue = side
    }

    /// Writes `sent` or `received`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.direction)
    }
}
