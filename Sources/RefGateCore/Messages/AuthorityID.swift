/// An authority's identifier: its ONS GSS code, e.g. `E08000003` (Manchester).
public struct AuthorityID: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The GSS code.
    public let rawValue: String

    /// Creates an identifier, or fails when the text is not a GSS code (a letter E, W, S or N and eight digits).
    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Creates an identifier, throwing a `invalid-input` error that says what a GSS code looks like.
    public init(validating text: String) throws {
        guard let id = AuthorityID(rawValue: text) else {
            throw RefGateError(
                .invalidInput,
                "'\(text)' is not an ONS GSS code: expected a letter E, W, S or N followed by eight digits, e.g. E08000003"
            )
        }
        self = id
    }

    /// Whether the text is a GSS code.
    public static func isValid(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 9, "EWSN".unicodeScalars.contains(scalars[0]) else { return false }
        return scalars.dropFirst().allSatisfy { $0.value >= 48 && $0.value <= 57 }
    }

    /// Decodes and validates a GSS code.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = AuthorityID(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an ONS GSS code")
            )
        }
        self = id
    }

    /// Encodes the GSS code as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Orders identifiers by their text.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The GSS code.
    public var description: String { rawValue }
}
