import Foundation

/// Encodes an `Encodable` into a `JSONValue`, with instants as `MessageCoding` writes them
/// (RFC 3339), so an outgoing message is checked against its schema and written out from one
/// tree: encoding with `JSONEncoder` and parsing the bytes back was a measurable share of a
/// node's CPU. `JSONValue.canonicalData()` writes the bytes `JSONEncoder` would.
public struct JSONValueEncoder {
    /// Creates an encoder.
    public init() {}

    /// The value as a JSON tree.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = Slot()
        try Node(slot: root, codingPath: []).encodeValue(value)
        return root.resolved
    }

    /// Where a value goes; filled in as containers are written.
    private final class Slot {
        var value: JSONValue = .null
        var members: [String: Slot]?
        var elements: [Slot]?

        var resolved: JSONValue {
            if let members { return .object(members.mapValues(\.resolved)) }
            if let elements { return .array(elements.map(\.resolved)) }
            return value
        }
    }

    private struct Node: Encoder, SingleValueEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if slot.members == nil { slot.members = [:] }
            return KeyedEncodingContainer(Keyed<Key>(slot: slot, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if slot.elements == nil { slot.elements = [] }
            return Unkeyed(slot: slot, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { self }

        mutating func encodeNil() throws { slot.value = .null }
        mutating func encode(_ value: Bool) throws { slot.value = .bool(value) }
        mutating func encode(_ value: String) throws { slot.value = .string(value) }
        mutating func encode(_ value: Double) throws { slot.value = .number(value) }
        mutating func encode(_ value: Float) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: Int) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: Int8) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: Int16) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: Int32) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: Int64) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: UInt) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: UInt8) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: UInt16) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: UInt32) throws { slot.value = .number(Double(value)) }
        mutating func encode(_ value: UInt64) throws { slot.value = .number(Double(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

        func encodeValue<T: Encodable>(_ value: T) throws {
            if let date = value as? Date {
                slot.value = .string(MessageCoding.formatInstant(date))
            } else {
                try value.encode(to: self)
            }
        }
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: Slot
        let codingPath: [any CodingKey]

        private func child(_ key: Key) -> Node {
            let child = Slot()
            slot.members![key.stringValue] = child
            return Node(slot: child, codingPath: codingPath + [key])
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).slot.value = .null }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try child(key).encodeValue(value) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            child(key).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            child(key).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { Node(slot: slot, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]
        var count: Int { slot.elements?.count ?? 0 }

        private func next() -> Node {
            let child = Slot()
            slot.elements!.append(child)
            return Node(slot: child, codingPath: codingPath)
        }

        mutating func encodeNil() throws { next().slot.value = .null }
        mutating func encode<T: Encodable>(_ value: T) throws { try next().encodeValue(value) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            next().container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
        mutating func superEncoder() -> any Encoder { next() }
    }
}

extension JSONValue {
    /// The bytes `JSONEncoder` with sorted keys and unescaped slashes writes for this value
    /// (whole numbers as integers).
    public func canonicalData() -> Data {
        var writer = CanonicalJSONWriter(capacity: 2_048)
        write(to: &writer)
        return Data(writer.bytes)
    }

    private func write(to writer: inout CanonicalJSONWriter) {
        switch self {
        case .null: writer.raw("null")
        case .bool(let value): writer.raw(value ? "true" : "false")
        case .number(let number):
            if number.rounded() == number, abs(number) < 9_007_199_254_740_992 {
                writer.integer(Int(number))
            } else {
                writer.raw("\(number)")
            }
        case .string(let text): writer.string(text)
        case .array(let elements):
            writer.raw("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { writer.raw(",") }
                element.write(to: &writer)
            }
            writer.raw("]")
        case .object(let members):
            writer.beginObject()
            for (index, key) in members.keys.sorted().enumerated() {
                writer.key(key, first: index == 0)
                members[key]!.write(to: &writer)
            }
            writer.endObject()
        }
    }
}
