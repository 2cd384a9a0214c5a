/// A schema with its keywords read out and its `$ref`s resolved once, at load: validating
/// walks this instead of looking keywords up by name at every node of every message, which
/// was a measurable share of a node's CPU.
final class CompiledSchema: Sendable {
    /// For a boolean schema: whether any value is allowed.
    let allows: Bool?
    let reference: (text: String, target: CompiledSchema?)?
    let types: [String]?
    let enumeration: [JSONValue]?
    let constant: JSONValue?
    let minLength: Double?
    let maxLength: Double?
    let pattern: (text: String, regex: RegexBox)?
    let format: String?
    let minimum: Double?
    let maximum: Double?
    let minItems: Double?
    let maxItems: Double?
    let items: CompiledSchema?
    let required: [String]
    /// Sorted by the present member's name.
    let dependentRequired: [(present: String, needed: [String])]
    let properties: [String: CompiledSchema]
    let additionalProperties: CompiledSchema?

    /// Compiles `schema` of `document`; `resolve` compiles a `$ref`'s target (nil when it does
    /// not resolve, reported when an instance meets it).
    init(
        _ schema: JSONValue, patterns: [String: RegexBox],
        resolve: (_ reference: String) throws -> CompiledSchema?
    ) throws {
        func compile(_ sub: JSONValue) throws -> CompiledSchema {
            try CompiledSchema(sub, patterns: patterns, resolve: resolve)
        }
        func number(_ key: String) -> Double? { if case .number(let value)? = schema[key] { value } else { nil } }
        if case .bool(let allows) = schema { self.allows = allows } else { allows = nil }
        if case .string(let reference)? = schema["$ref"] {
            self.reference = (reference, try resolve(reference))
        } else {
            reference = nil
        }
        switch schema["type"] {
        case .string(let name)?: types = [name]
        case .array(let names)?: types = names.compactMap { if case .string(let n) = $0 { n } else { nil } }
        case .some: types = []
        case nil: types = nil
        }
        if case .array(let options)? = schema["enum"] { enumeration = options } else { enumeration = nil }
        constant = schema["const"]
        minLength = number("minLength")
        maxLength = number("maxLength")
        if case .string(let text)? = schema["pattern"], let regex = patterns[text] {
            pattern = (text, regex)
        } else {
            pattern = nil
        }
        if case .string(let format)? = schema["format"] { self.format = format } else { format = nil }
        minimum = number("minimum")
        maximum = number("maximum")
        minItems = number("minItems")
        maxItems = number("maxItems")
        items = try schema["items"].map(compile)
        if case .array(let names)? = schema["required"] {
            required = names.compactMap { if case .string(let n) = $0 { n } else { nil } }
        } else {
            required = []
        }
        if case .object(let dependencies)? = schema["dependentRequired"] {
            dependentRequired = dependencies.sorted { $0.key < $1.key }.compactMap { present, needed in
                guard case .array(let names) = needed else { return nil }
                return (present, names.compactMap { if case .string(let n) = $0 { n } else { nil } })
            }
        } else {
            dependentRequired = []
        }
        if case .object(let declared)? = schema["properties"] {
            properties = try declared.mapValues(compile)
        } else {
            properties = [:]
        }
        additionalProperties = try schema["additionalProperties"].map(compile)
    }
}
