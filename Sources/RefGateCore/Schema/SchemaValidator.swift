import Foundation

/// Validates JSON against refgate's JSON Schema (2020-12) documents.
///
/// It implements the keywords refgate's schemas use — `type`, `properties`, `required`,
/// `additionalProperties`, `enum`, `const`, `pattern`, `minLength`, `maxLength`,
/// `minimum`, `maximum`, `items`, `minItems`, `maxItems`, `format` (asserted for
/// `date-time`, `date`, `email`) and `$ref` within and across the bundled documents —
/// and refuses to load a schema with any other keyword, so no constraint is silently
/// ignored. Python's `jsonschema` checks the same files in the interop tests.
public struct SchemaValidator: Sendable {
    /// Validator over the schemas bundled in the binary (copied from `schemas/`).
    public static let shared: SchemaValidator = {
        do {
            return try SchemaValidator(documents: EmbeddedSchemas.documents)
        } catch {
            // The bundled schemas are checked by tests; failing here is a build defect, not user input.
            preconditionFailure("bundled schemas do not load: \(error)")
        }
    }()

    private let documents: [String: JSONValue]
    private let patterns: [String: RegexBox]
    /// Every `$ref` of every document, resolved once at load ("document|reference" → target).
    private var references: [String: (schema: JSONValue, document: String)] = [:]

    /// Loads schema documents keyed by file name (e.g. `receipt.schema.json`).
    public init(documents: [String: String]) throws {
        var parsed: [String: JSONValue] = [:]
        var patterns: [String: RegexBox] = [:]
        for (name, text) in documents {
            let value = try JSONValue.parse(Data(text.utf8))
            try Self.check(value, path: name, patterns: &patterns)
            parsed[name] = value
        }
        self.documents = parsed
        self.patterns = patterns
        for (name, document) in parsed {
            for reference in Self.references(in: document) {
                if let target = resolve(reference, from: name) { references["\(name)|\(reference)"] = target }
            }
        }
    }

    private static func references(in schema: JSONValue) -> [String] {
        switch schema {
        case .object(let members):
            var found: [String] = []
            if case .string(let reference)? = members["$ref"] { found.append(reference) }
            for (_, member) in members { found += references(in: member) }
            return found
        case .array(let elements): return elements.flatMap { references(in: $0) }
        default: return []
        }
    }

    /// Throws `schema-invalid` with a JSON Pointer to the first offending place.
    public func validate(_ instance: JSONValue, against documentName: String) throws {
        guard let schema = documents[documentName] else {
            throw RefGateError(.schemaInvalid, "no schema named \(documentName)")
        }
        if let failure = validate(instance, schema: schema, document: documentName, pointer: "") {
            throw RefGateError(.schemaInvalid, failure)
        }
    }

    /// Validates raw JSON bytes.
    public func validate(json: Data, against documentName: String) throws {
        let value: JSONValue
        do { value = try JSONValue.parse(json) } catch {
            throw RefGateError(.schemaInvalid, "not JSON: \(error)")
        }
        try validate(value, against: documentName)
    }

    private static let annotationKeywords: Set<String> = [
        "$schema", "$id", "$defs", "$comment", "title", "description", "examples",
    ]
    private static let assertionKeywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "enum", "const", "pattern",
        "minLength", "maxLength", "minimum", "maximum", "items", "minItems", "maxItems", "format",
        "dependentRequired",
    ]
    private static let formats: Set<String> = ["date-time", "date", "email"]

    private static func check(_ schema: JSONValue, path: String, patterns: inout [String: RegexBox]) throws {
        guard case .object(let members) = schema else {
            if case .bool = schema { return }
            throw RefGateError(.schemaInvalid, "\(path): a schema must be an object or a boolean")
        }
        for (key, value) in members {
            guard annotationKeywords.contains(key) || assertionKeywords.contains(key) else {
                throw RefGateError(.schemaInvalid, "\(path): keyword '\(key)' is not supported by this validator")
            }
            switch key {
            case "properties", "$defs":
                guard case .object(let subs) = value else { continue }
                for (name, sub) in subs { try check(sub, path: "\(path)/\(key)/\(name)", patterns: &patterns) }
            case "items", "additionalProperties":
                try check(value, path: "\(path)/\(key)", patterns: &patterns)
            case "pattern":
                guard case .string(let pattern) = value else { continue }
                patterns[pattern] = try RegexBox(pattern)
            case "format":
                guard case .string(let format) = value, formats.contains(format) else {
                    throw RefGateError(.schemaInvalid, "\(path): unsupported format \(value)")
                }
            default: continue
            }
        }
    }

    private func resolve(_ reference: String, from document: String) -> (JSONValue, String)? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let documentName = parts[0].isEmpty ? document : String(parts[0].split(separator: "/").last ?? "")
        guard var node = documents[documentName] else { return nil }
        let pointer = parts.count > 1 ? parts[1] : ""
        for token in pointer.split(separator: "/") {
            guard let next = node[String(token)] else { return nil }
            node = next
        }
        return (node, documentName)
    }

    // Returns a description of the first failure, or nil when the instance is valid.
    private func validate(_ instance: JSONValue, schema: JSONValue, document: String, pointer: String) -> String? {
        let at = pointer.isEmpty ? "/" : pointer
        if case .bool(let allowed) = schema { return allowed ? nil : "\(at): no value is allowed here" }
        guard case .object(let keywords) = schema else { return nil }

        if case .string(let reference)? = keywords["$ref"] {
            guard
                let (target, targetDocument) = references["\(document)|\(reference)"]
                    ?? resolve(reference, from: document)
            else {
                return "\(at): unresolvable $ref \(reference)"
            }
            if let failure = validate(instance, schema: target, document: targetDocument, pointer: pointer) {
                return failure
            }
        }
        if let type = keywords["type"] {
            let allowed: [String]
            switch type {
            case .string(let name): allowed = [name]
            case .array(let names): allowed = names.compactMap { if case .string(let n) = $0 { n } else { nil } }
            default: allowed = []
            }
            let actual = instance.typeName
            let matches = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !matches { return "\(at): must be of type \(allowed.joined(separator: " or ")), not \(actual)" }
        }
        if case .array(let options)? = keywords["enum"], !options.contains(instance) {
            return "\(at): must be one of \(options.map(Self.render).joined(separator: ", "))"
        }
        if let constant = keywords["const"], constant != instance {
            return "\(at): must be \(Self.render(constant))"
        }
        switch instance {
        case .string(let text):
            let length = text.unicodeScalars.count
            if case .number(let min)? = keywords["minLength"], Double(length) < min {
                return "\(at): must be at least \(Int(min)) characters"
            }
            if case .number(let max)? = keywords["maxLength"], Double(length) > max {
                return "\(at): must be at most \(Int(max)) characters"
            }
            if case .string(let pattern)? = keywords["pattern"], let regex = patterns[pattern], !regex.matches(text) {
                return "\(at): must match the pattern \(pattern)"
            }
            if case .string(let format)? = keywords["format"], !Self.conforms(text, to: format) {
                return "\(at): must be a valid \(format)"
            }
        case .number(let number):
            if case .number(let min)? = keywords["minimum"], number < min { return "\(at): must be ≥ \(min)" }
            if case .number(let max)? = keywords["maximum"], number > max { return "\(at): must be ≤ \(max)" }
        case .array(let elements):
            if case .number(let min)? = keywords["minItems"], Double(elements.count) < min {
                return "\(at): must have at least \(Int(min)) items"
            }
            if case .number(let max)? = keywords["maxItems"], Double(elements.count) > max {
                return "\(at): must have at most \(Int(max)) items"
            }
            if let items = keywords["items"] {
                for (index, element) in elements.enumerated() {
                    if let failure = validate(
                        element, schema: items, document: document, pointer: "\(pointer)/\(index)")
                    {
                        return failure
                    }
                }
            }
        case .object(let members):
            if case .array(let required)? = keywords["required"] {
                for case .string(let name) in required where members[name] == nil {
                    return "\(pointer)/\(name): is required"
                }
            }
            if case .object(let dependencies)? = keywords["dependentRequired"] {
                for (present, needed) in dependencies.sorted(by: { $0.key < $1.key }) where members[present] != nil {
                    guard case .array(let names) = needed else { continue }
                    for case .string(let name) in names where members[name] == nil {
                        return "\(pointer)/\(name): is required when \(present) is present"
                    }
                }
            }
            let properties: [String: JSONValue]
            if case .object(let declared)? = keywords["properties"] { properties = declared } else { properties = [:] }
            for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                let childPointer = "\(pointer)/\(Self.escape(name))"
                if let sub = properties[name] {
                    if let failure = validate(value, schema: sub, document: document, pointer: childPointer) {
                        return failure
                    }
                } else if let additional = keywords["additionalProperties"] {
                    if case .bool(false) = additional { return "\(childPointer): is not an allowed property" }
                    if let failure = validate(value, schema: additional, document: document, pointer: childPointer) {
                        return failure
                    }
                }
            }
        default: break
        }
        return nil
    }

    private static func escape(_ token: String) -> String {
        // Hot path: almost no property name needs escaping.
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .number(let n): n.rounded() == n ? String(Int(n)) : String(n)
        case .bool(let b): String(b)
        case .null: "null"
        default: "\(value)"
        }
    }

    static func conforms(_ text: String, to format: String) -> Bool {
        switch format {
        case "date-time": return MessageCoding.parseInstant(text) != nil
        case "date": return CalendarDate(text) != nil
        case "email":
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
        default: return true
        }
    }
}

/// A compiled regular expression.
///
/// `@unchecked Sendable`: NSRegularExpression is immutable after creation and documented
/// as safe to use from several threads at once.
final class RegexBox: @unchecked Sendable {
    private let regex: NSRegularExpression

    init(_ pattern: String) throws {
        do {
            regex = try NSRegularExpression(pattern: Self.ecmaAnchors(pattern))
        } catch {
            throw RefGateError(.schemaInvalid, "pattern \(pattern) does not compile: \(error)")
        }
    }

    /// ECMA-262's `$` (JSON Schema's dialect) matches only at the end of the input; ICU's also
    /// matches before a final newline, which would let `"SW123\n"` pass `^SW[0-9]+$`. Every
    /// unescaped `$` outside a character class becomes `\z`.
    static func ecmaAnchors(_ pattern: String) -> String {
        var result = ""
        var escaped = false
        var inClass = false
        for character in pattern {
            if escaped {
                result.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "[": inClass = true
            case "]": inClass = false
            case "$" where !inClass:
                result += "\\z"
                continue
            default: break
            }
            result.append(character)
        }
        return result
    }

    // JSON Schema patterns are unanchored searches (ECMA-262 semantics).
    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
