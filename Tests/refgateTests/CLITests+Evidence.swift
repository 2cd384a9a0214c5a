import Foundation
import RefGateTestSupport
import Testing

extension CLITests {
    /// The evidence commands as an operator runs them against two node processes: sign a tree
    /// head, export a case's bundle, verify it offline, verify the audit log with the peer's
    /// witnessed heads, list what retention would purge, and a subject access export.
    @Test func evidenceAndAuditCommands() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (configA, configB) = try Self.region(in: folder)
        let nodeA = try NodeProcess(binary: Self.binary, config: configA, log: folder.file("a.log"))
        let nodeB = try NodeProcess(binary: Self.binary, config: configB, log: folder.file("b.log"))
        try await nodeA.waitUntilReady()
        try await nodeB.waitUntilReady()

        let sent = try Self.sendRequest(config: configA)
        #expect(sent.status == 0, "\(sent.combined)")
        let caseID = try #require(sent.output.split(separator: " ").dropFirst().first.map(String.init))
        let outstanding = try Self.refgate("outstanding", "--config", configA)
        #expect(outstanding.status == 0, "\(outstanding.combined)")
        #expect(
            outstanding.output.contains("GREEN") && outstanding.output.contains(caseID)
                && outstanding.output.contains("1 outstanding: 0 red, 0 amber, 1 green"), "\(outstanding.output)")
        let none = try Self.refgate("outstanding", "--config", configA, "--rag", "red", "--json")
        #expect(
            none.status == 0 && none.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]"
                || none.output.contains("[]"), "\(none.combined)")
        var owed = ""
        for _ in 0..<200 where !owed.contains(caseID) {
            owed = try Self.refgate("request", "list", "--config", configB, "--side", "responder").output
            if !owed.contains(caseID) { try await Task.sleep(for: .milliseconds(50)) }
        }
        let answered = try Self.refgate(
            "respond", "--config", configB, "--case", caseID, "--outcome", "not-verified", "--authored-by-referee",
            "false", "--referee-actual-role", "Senior Practitioner", "--placement-dates-confirmed", "false",
            "--responder-name", "Sam Okafor", "--responder-role", "service-manager")
        #expect(answered.status == 0, "\(answered.combined)")
        var shown = ""
        for _ in 0..<200 where !shown.contains("not-verified") {
            shown = try Self.refgate("case", "show", "--config", configA, "--case", caseID).output
            if !shown.contains("not-verified") { try await Task.sleep(for: .milliseconds(50)) }
        }

        let head = try Self.refgate("audit", "head", "--config", configA)
        #expect(head.status == 0 && head.output.contains("tree head:"), "\(head.combined)")
        let bundle = folder.file("evidence.zip")
        let exported = try Self.refgate("evidence", "export", "--config", configA, "--case", caseID, "--out", bundle)
        #expect(exported.status == 0, "\(exported.combined)")
        let verified = try Self.refgate("evidence", "verify", bundle, "--ca-cert", folder.file("ca/ca.pem"))
        #expect(verified.status == 0 && verified.output.contains("VERIFIED"), "\(verified.combined)")

        // Cut short (its central directory gone): unreadable, said so, exit 1.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle))
        try bytes.prefix(bytes.count - 200).write(to: URL(fileURLWithPath: folder.file("damaged.zip")))
        let damaged = try Self.refgate(
            "evidence", "verify", folder.file("damaged.zip"), "--ca-cert", folder.file("ca/ca.pem"))
        #expect(damaged.status == 1 && !damaged.error.contains("Fatal error"), "\(damaged.combined)")
        #expect(damaged.output.contains("not a readable ZIP"), "\(damaged.combined)")
        Self.expectUserError(
            try Self.refgate("evidence", "verify", folder.file("nope.zip"), "--ca-cert", folder.file("ca/ca.pem")),
            mentions: "cannot read the bundle")
        Self.expectUserError(
            try Self.refgate("evidence", "export", "--config", configA, "--case", "no-such-case", "--out", bundle),
            mentions: "unknown-case")

        let audit = try Self.refgate("audit", "verify", "--config", configA, "--peer-checkpoints")
        #expect(audit.status == 0 && audit.output.contains("verified in"), "\(audit.combined)")
        #expect(audit.output.contains("witness E08000006"), "\(audit.output)")

        let retention = try Self.refgate("retention", "run", "--config", configA, "--dry-run")
        #expect(retention.status == 0 && retention.output.contains("nothing would be purged"), "\(retention.combined)")
        let subject = try Self.refgate(
            "subject", "export", "--config", configA, "--registration", "SW104522", "--out", folder.file("sar.json"))
        #expect(subject.status == 0 && subject.output.contains("1 cases"), "\(subject.combined)")
        let document = try String(contentsOfFile: folder.file("sar.json"), encoding: .utf8)
        #expect(document.contains("Alex Morgan") && document.contains(caseID))

        #expect(nodeA.terminate() == 0)
        #expect(nodeB.terminate() == 0)
        // Offline, after the node stopped (it signed a last head on the way out).
        let offline = try Self.refgate("audit", "verify", "--config", configA, "--json")
        #expect(offline.status == 0 && offline.output.contains("\"heads\""), "\(offline.combined)")
    }
}
