import Foundation
import RefGateCore
import Testing

/// The one JSON reader for peer input refuses what lenient readers would disagree on.
@Suite(.timeLimit(.minutes(2))) struct StrictJSONTests {
    static func parse(_ text: String) throws -> JSONValue { try StrictJSON.parse(Data(text.utf8)) }

    @Test func readsWhatRFC8259Allows() throws {
        let value = try Self.parse(
            #" {"a": [1, -2.5e3, 0, 0.25, true, false, null], "b": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {}} "#)
        #expect(
            value["a"]
                == .array([.number(1), .number(-2500), .number(0), .number(0.25), .bool(true), .bool(false), .null]))
        #expect(value["b"] == .string("x\"\\/\u{08}\u{0C}\n\r\té😀"))
        #expect(value["c"] == .object([:]))
        #expect(try Self.parse("\"plain é\"") == .string("plain é"))
        #expect(try Self.parse("[]") == .array([]))
    }

    @Test(arguments: [
        #"{"outcome": "verified", "outcome": "not-verified"}"#,  // duplicate keys
        #"{"a": 1,}"#, "[1, 2,]",  // trailing commas
        "{'a': 1}", "[1 2]", "{\"a\" 1}", "", "  ", "nul", "truex",
        "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "1e999",
        "\"\u{01}\"", #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#,
        "[1] [2]", "/* c */ 1", "\"unterminated",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(throws: RefGateError.self) { try Self.parse(text) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: RefGateError.self) { try StrictJSON.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
        #expect(throws: RefGateError.self) { try StrictJSON.parse(Data([0x22, 0xFF, 0x22])) }
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(throws: RefGateError.self) { try Self.parse(deep) }
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect((try? Self.parse(ok)) != nil)
    }
}
