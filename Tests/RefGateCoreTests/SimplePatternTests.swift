import Foundation
import Testing

@testable import RefGateCore

/// The ICU-free matcher agrees with ICU on every pattern of the schemas, over strings built to
/// sit near each pattern's edges, and random ones.
@Suite(.timeLimit(.minutes(2))) struct SimplePatternTests {
    static let schemaPatterns: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../schemas")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var patterns: Set<String> = []
        for name in names where name.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                let value = try? JSONValue.parse(data)
            else { continue }
            collect(value, into: &patterns)
        }
        return patterns.sorted()
    }()

    static func collect(_ value: JSONValue, into patterns: inout Set<String>) {
        switch value {
        case .object(let members):
            if case .string(let pattern)? = members["pattern"] { patterns.insert(pattern) }
            for member in members.values { collect(member, into: &patterns) }
        case .array(let elements): for element in elements { collect(element, into: &patterns) }
        default: break
        }
    }

    @Test func theSchemasSimplePatternsAreMatchedWithoutICU() {
        #expect(Self.schemaPatterns.count >= 10)
        let simple = Self.schemaPatterns.filter { SimplePattern($0) != nil }
        for pattern in [
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", "^[EWSN][0-9]{8}$",
            #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, "^[A-Za-z0-9_-]{43}$", "^-----BEGIN CERTIFICATE-----",
        ] {
            #expect(simple.contains(pattern), "\(pattern)")
        }
        #expect(SimplePattern("^(a|b)$") == nil)
        #expect(SimplePattern("a+") == nil, "unanchored at the start")
    }

    @Test func itAgreesWithICU() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09-_.@ :/+TzfF\t\n\u{7f}é€😀Sw[]".unicodeScalars)
        for pattern in Self.schemaPatterns + ["^a?b*c{2,3}$", #"^x\.y$"#, "^[^a-c]{2,}$", "^[-a]+$"] {
            let box = try RegexBox(pattern)
            var samples = [
                "", "E08000003", "e08000003", "E0800000", "E080000031", "SW123", "SW", "a@b.c", "a@@b.c", "a@b",
                "a @b.c", "ab@c.d.e", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "6f1c2c4e-8a4b-4c1e-9d2a-1b2c3d4e5f60", "6F1C2C4E-8A4B-4C1E-9D2A-1B2C3D4E5F60",
                "6f1c2c4e-8a4b-4c1e-9d2a-1b2c3d4e5f6", "2026-11-24", "2026-11-24T09:00:00Z", "https://x.example/",
                "-----BEGIN CERTIFICATE-----\nMII", "abcc", "bccc", "x.y", "xzy", "dd", "-a-", "E08000003\n",
                "a@b.c\n", String(repeating: "A", count: 43), String(repeating: "A", count: 44),
            ]
            for _ in 0..<300 {
                let length = Int.random(in: 0...50, using: &generator)
                var text = ""
                for _ in 0..<length { text.unicodeScalars.append(alphabet.randomElement(using: &generator)!) }
                samples.append(text)
            }
            for sample in samples {
                #expect(box.matches(sample) == box.matchesWithICU(sample), "\(pattern) on \(sample.debugDescription)")
            }
        }
    }
}
