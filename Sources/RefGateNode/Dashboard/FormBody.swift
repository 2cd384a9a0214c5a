import Foundation
import Hummingbird
import RefGateCore

/// An `application/x-www-form-urlencoded` body, as the dashboard's forms send it.
enum FormBody {
    /// Largest form read.
    static let maxBytes = 64 << 10

    /// The form's fields (the last value of a repeated name wins).
    static func read(_ request: Request) async throws -> [String: String] {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw RefGateError(.unsupportedMediaType, "forms are sent as application/x-www-form-urlencoded")
        }
        let body = try await request.body.collect(upTo: maxBytes)
        let fields = parse(String(buffer: body))
        // The same bound as every text field of the local API.
        if let (name, _) = fields.first(where: { $0.value.count > LocalJSONDecoder.maxText }) {
            throw RefGateError(
                .invalidInput, "the field \(name.prefix(40)) is longer than \(LocalJSONDecoder.maxText) characters")
        }
        return fields
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
