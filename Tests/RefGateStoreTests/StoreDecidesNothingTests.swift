import Foundation
import Testing

/// `docs/ARCHITECTURE.md` says the store decides nothing: a case's status and escalation level
/// are what the core's rules decided, passed in as arguments. This lint reads the store's
/// sources and fails on SQL that writes either one as a literal (a decision made in SQL).
@Suite(.timeLimit(.minutes(1))) struct StoreDecidesNothingTests {
    @Test func noSQLWritesAStatusOrALevelOfItsOwn() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/RefGateStore/Access")
        let files = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10, "the store's sources were found")
        var offences: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                // An assignment in SQL (after SET, or in a SET list), not a comparison in WHERE.
                guard line.contains("UPDATE ") || line.contains("SET ") else { continue }
                let assignments = line.matches(of: /(?:SET|,)\s*(status|escalation_level)\s*=\s*([^\s,]+)/)
                for match in assignments where match.2 != "?" && !match.2.hasPrefix("excluded.") {
                    // The ladder's end is the core's constant (`EscalationRules.exhausted`).
                    if match.2.contains("EscalationRules.") { continue }
                    offences.append("\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offences.isEmpty, "SQL that decides a status or level: \(offences)")
    }
}
