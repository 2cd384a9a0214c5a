import Foundation
import Testing

/// `docs/ARCHITECTURE.md` says the store decides nothing: a case's status and escalation level
/// change only by a `CaseTransition` the core's rules made, applied in one place
/// (`StoreTransaction+Transitions.swift`). This lint reads the store's sources and fails on SQL
/// that writes either one anywhere else, or as a literal there (a decision made in SQL).
@Suite(.timeLimit(.minutes(1))) struct StoreDecidesNothingTests {
    @Test func onlyTheAppliedTransitionWritesAStatusOrALevel() throws {
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
                for match in assignments where match.2 != "?" || file != "StoreTransaction+Transitions.swift" {
                    offences.append("\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offences.isEmpty, "SQL that decides a status or level: \(offences)")
    }
}
