import Foundation

extension DecodingError {
    /// What a person should fix, naming the member by its dotted path: `missing field
    /// 'candidate.name'`, `field 'to' has the wrong type` (`noun` is "field" or "setting").
    static func explain(_ error: any Error, noun: String) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(noun) '\(Self.path(context.codingPath + [key]))'"
        case DecodingError.dataCorrupted(let context):
            let path = Self.path(context.codingPath)
            return path.isEmpty ? context.debugDescription : "\(noun) '\(path)': \(context.debugDescription)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(noun) '\(Self.path(context.codingPath))' has the wrong type"
        default:
            return "not valid JSON: \(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
}
