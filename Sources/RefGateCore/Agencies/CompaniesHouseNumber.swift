/// A company's number at Companies House: the key an agency has across the region (para 3),
/// since every authority knows an agency by a name of its own spelling. Eight characters:
/// eight digits (England and Wales), or two capitals and six digits (`SC` Scotland, `NI`
/// Northern Ireland, `OC` a limited liability partnership, …). A number of fewer digits is
/// padded with leading zeros, as Companies House prints it. Pure.
public struct CompaniesHouseNumber: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The eight characters.
    public let rawValue: String

    /// Checks and normalises `text` (spaces dropped, letters upper-cased, digits padded).
    public init(validating text: String) throws {
        let compact = text.filter { !$0.isWhitespace }.uppercased()
        let padded =
            compact.allSatisfy(\.isASCIIDigit) && (1...7).contains(compact.count)
            ? String(repeating: "0", count: 8 - compact.count) + compact : compact
        guard Self.isWellFormed(padded) else {
            throw RefGateError(
                .invalidInput,
                "'\(text.prefix(40))' is not a Companies House number: 8 characters, either 8 digits (e.g. 01234567) or 2 capital letters and 6 digits (e.g. SC123456)"
            )
        }
        rawValue = padded
    }

    /// Creates one from a stored value already checked; nil if it is not well formed.
    public init?(rawValue: String) {
        guard Self.isWellFormed(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// The schema's pattern for the same rule.
    public static let pattern = "^([0-9]{8}|[A-Z]{2}[0-9]{6})$"

    private static func isWellFormed(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 8, characters.allSatisfy(\.isASCII) else { return false }
        if characters.allSatisfy(\.isASCIIDigit) { return true }
        return characters[0].isUppercaseASCIILetter && characters[1].isUppercaseASCIILetter
            && characters[2...].allSatisfy(\.isASCIIDigit)
    }

    /// The eight characters.
    public var description: String { rawValue }

    /// Orders by the characters.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Encodes as the eight characters.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Decodes and checks.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(validating: text)
        } catch let error as RefGateError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.detail))
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isUppercaseASCIILetter: Bool { isASCII && isUppercase }
}
