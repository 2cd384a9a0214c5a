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

    /// Each document's root, compiled.
    private let compiled: [String: CompiledSchema]

    /// Loads schema documents keyed by file name (e.g. `receipt.schema.json`).
    public init(documents: [String: String]) throws {
        var parsed: [String: JSONValue] = [:]
        var patterns: [String: RegexBox] = [:]
        for (name, text) in documents {
            let value = try JSONValue.parse(Data(text.utf8))
            try Self.check(value, path: name, patterns: &patterns)
            parsed[name] = value
        }
        // Targets are compiled once each and shared; a reference cycle is refused.
        var targets: [String: CompiledSchema] = [:]
        var compiling: Set<String> = []
        func compile(_ schema: JSONValue, in document: String) throws -> CompiledSchema {
            try CompiledSchema(schema, patterns: patterns) { reference in
                guard let (target, targetDocument) = Self.resolve(reference, from: document, in: parsed) else {
                    return nil
                }
                let fragment = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let key = "\(targetDocument)#\(fragment.count > 1 ? fragment[1] : "")"
                if let done = targets[key] { return done }
                guard compiling.insert(key).inserted else {
                    throw RefGateError(.schemaInvalid, "\(document): $ref \(reference) refers to itself")
                }
                let made = try compile(target, in: targetDocument)
                compiling.remove(key)
                targets[key] = made
                return made
            }
        }
        var compiled: [String: CompiledSchema] = [:]
        for (name, document) in parsed { compiled[name] = try compile(document, in: name) }
        self.compiled = compiled
    }

    /// Throws `schema-invalid` with a JSON Pointer to the first offending place.
    public func validate(_ instance: JSONValue, against documentName: String) throws {
        guard let schema = compiled[documentName] else {
            throw RefGateError(.schemaInvalid, "no schema named \(documentName)")
        }
        // A quick pass first (no pointers, members in any order); only an invalid instance is
        // walked again to describe its first failure in document order.
        guard Self.validate(instance, schema: schema, pointer: nil) != nil else { return }
        throw RefGateError(.schemaInvalid, Self.validate(instance, schema: schema, pointer: "") ?? "invalid")
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

    private static func resolve(_ reference: String, from document: String, in documents: [String: JSONValue])
        -> (JSONValue, String)?
    {
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

    // Returns a description of the first failure, or nil when the instance is valid. With a
    // nil `pointer` it only decides: any failure is "", and members are visited in any order.
    private static func validate(_ instance: JSONValue, schema: CompiledSchema, pointer: String?) -> String? {
        let at = pointer.map { $0.isEmpty ? "/" : $0 } ?? ""
        if let allowed = schema.allows { return allowed ? nil : "\(at): no value is allowed here" }
        if let (reference, target) = schema.reference {
            guard let target else { return "\(at): unresolvable $ref \(reference)" }
            if let failure = validate(instance, schema: target, pointer: pointer) { return failure }
        }
        if let allowed = schema.types {
            let actual = instance.typeName
            let matches = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !matches { return "\(at): must be of type \(allowed.joined(separator: " or ")), not \(actual)" }
        }
        if let options = schema.enumeration, !options.contains(instance) {
            return "\(at): must be one of \(options.map(Self.render).joined(separator: ", "))"
        }
        if let constant = schema.constant, constant != instance {
            return "\(at): must be \(Self.render(constant))"
        }
        switch instance {
        case .string(let text):
            if schema.minLength != nil || schema.maxLength != nil {
                let length = Double(text.unicodeScalars.count)
                if let min = schema.minLength, length < min { return "\(at): must be at least \(Int(min)) characters" }
                if let max = schema.maxLength, length > max { return "\(at): must be at most \(Int(max)) characters" }
            }
            if let (pattern, regex) = schema.pattern, !regex.matches(text) {
                return "\(at): must match the pattern \(pattern)"
            }
            if let format = schema.format, !Self.conforms(text, to: format) {
                return "\(at): must be a valid \(format)"
            }
        case .number(let number):
            if let min = schema.minimum, number < min { return "\(at): must be ≥ \(min)" }
            if let max = schema.maximum, number > max { return "\(at): must be ≤ \(max)" }
        case .array(let elements):
            if let min = schema.minItems, Double(elements.count) < min {
                return "\(at): must have at least \(Int(min)) items"
            }
            if let max = schema.maxItems, Double(elements.count) > max {
                return "\(at): must have at most \(Int(max)) items"
            }
            if let items = schema.items {
                for (index, element) in elements.enumerated() {
                    if let failure = validate(element, schema: items, pointer: pointer.map { "\($0)/\(index)" }) {
                        return failure
                    }
                }
            }
        case .object(let members):
            let here = pointer ?? ""
            for name in schema.required where members[name] == nil {
                return "\(here)/\(name): is required"
            }
            for (present, needed) in schema.dependentRequired where members[present] != nil {
                for name in needed where members[name] == nil {
                    return "\(here)/\(name): is required when \(present) is present"
                }
            }
            func check(_ name: String, _ value: JSONValue) -> String? {
                let child = pointer.map { "\($0)/\(Self.escape(name))" }
                if let sub = schema.properties[name] { return validate(value, schema: sub, pointer: child) }
                guard let additional = schema.additionalProperties else { return nil }
                if additional.allows == false { return "\(child ?? ""): is not an allowed property" }
                return validate(value, schema: additional, pointer: child)
            }
            if pointer == nil {
                for (name, value) in members { if let failure = check(name, value) { return failure } }
            } else {
                for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                    if let failure = check(name, value) { return failure }
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
    /// The same pattern matched without ICU, when it is simple enough.
    private let simple: SimplePattern?

    init(_ pattern: String) throws {
        simple = SimplePattern(pattern)
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
        if let matched = simple?.matches(text) { return matched }
        return matchesWithICU(text)
    }

    /// What ICU says (tests hold `SimplePattern` to it).
    func matchesWithICU(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
