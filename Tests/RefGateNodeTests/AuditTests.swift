import Foundation
import GRDB
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing

/// The audit log between real nodes: every action appended with the action, signed tree heads,
/// tampering found and named, peers witnessing each other through checkpoints.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AuditTests {
    /// A case taken through request, unsatisfactory answer, level 1 and acknowledgement.
    static func escalatedCase(_ a: Node, _ b: Node) async throws -> CaseView {
        let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
        try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
        var vague = TestRegion.verifiedBySeniorManager
        vague.outcome = .unableToVerify
        _ = try await b.engine.commands.respond(caseID: opened.id, vague)
        try await eventually("answer arrives") {
            try await a.store.read { try $0.case(opened.id) }?.status == .unableToVerify
        }
        let raised = try await a.engine.commands.raiseEscalation(
            caseID: opened.id, reason: .unsatisfactoryResponse,
            raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"), note: "Please check again.")
        try await eventually("notice arrives") { try await b.store.read { try $0.escalation(raised.id) } != nil }
        _ = try await b.engine.commands.acknowledge(
            escalationID: raised.id, by: Person(name: "Sam Okafor", role: "Service Manager"), as: nil)
        try await eventually("acknowledgement arrives and every message is receipted") {
            let ack = try await a.store.read { try $0.escalation(raised.id) }?.acknowledgedAt != nil
            let pending =
                try await a.store.read { try $0.outboxCounts()[.pending] ?? 0 }
                + (try await b.store.read { try $0.outboxCounts()[.pending] ?? 0 })
            return ack && pending == 0
        }
        return opened
    }

    static func entries(_ node: Node, caseID: String? = nil) async throws -> [AuditEntry] {
        try await entries(node.store, caseID: caseID)
    }

    static func entries(_ engine: NodeEngine, caseID: String? = nil) async throws -> [AuditEntry] {
        try await entries(engine.store, caseID: caseID)
    }

    static func entries(_ store: Store, caseID: String?) async throws -> [AuditEntry] {
        try await store.read { reader in
            try (caseID.map { try reader.auditRows(caseID: $0) } ?? reader.auditRows()).map {
                try AuditEntry.decode($0.entry)
            }
        }
    }

    static func verify(_ node: Node, witnessed: [String] = []) async throws -> AuditReport {
        let configuration = node.configuration
        let verifier = try AuditVerifier(
            authority: configuration.authority,
            signCertificates: [try CertificateFile.loadCertificate(configuration.signCertificate, what: "sign")])
        return try await node.store.read { try verifier.verify($0, witnessed: witnessed) }
    }

    @Test func everyActionIsAppendedWithWhoDidItAndTheLogVerifies() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        let opened = try await withRunning([a, b]) { try await Self.escalatedCase(a, b) }

        let mine = try await Self.entries(a, caseID: opened.id)
        let actions = mine.map(\.action)
        for expected: AuditAction in [
            .caseOpened, .messageSent, .requestSent, .receiptRecorded, .messageReceived, .caseStatus,
            .escalationRaised, .escalationAcknowledged,
        ] {
            #expect(actions.contains(expected), "Manchester's log has \(expected.rawValue)")
        }
        let raised = try #require(mine.first { $0.action == .escalationRaised })
        // The node's own token acted (the CLI's way), for the person it named.
        #expect(raised.actor?.onBehalfOf == "Mo Ahmed" && raised.detail?["level"] == "1")
        let requested = try #require(mine.first { $0.action == .requestSent })
        #expect(requested.actor == AuditActor(name: "node token", role: "node", onBehalfOf: "Jordan Ellis"))
        let theirs = try await Self.entries(b, caseID: opened.id)
        let answered = try #require(theirs.first { $0.action == .responseSent })
        #expect(answered.actor == AuditActor(name: "node token", role: "node", onBehalfOf: "Sam Okafor"))
        #expect(theirs.contains { $0.action == .escalationAcknowledged && $0.actor?.onBehalfOf == "Sam Okafor" })
        // No candidate's personal data in the log.
        let all = try await a.store.read { try $0.auditRows() }
        for row in all {
            let text = String(decoding: row.entry, as: UTF8.self)
            #expect(!text.contains("Alex Morgan") && !text.contains("SW104522"))
        }
        // A chain: each entry links to the one before, and the indexes are the leaf indexes.
        let log = try await Self.entries(a)
        #expect(log.map(\.seq) == Array(0..<log.count))

        let head = try await a.engine.audit.makeHead()
        #expect(head.treeSize == log.count)
        let again = try await a.engine.audit.makeHead()
        #expect(again == head, "no new head while the log has not grown")
        let report = try await Self.verify(a)
        #expect(report.verified, "\(String(describing: report.failure))")
        #expect(report.entries == log.count && report.heads >= 1)
    }

    /// Altering one byte, deleting one entry, swapping two and truncating the log, each in the
    /// database file, is found and named.
    @Test func tamperingInTheDatabaseFileIsFoundAndNamed() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            _ = try await Self.escalatedCase(a, b)
            _ = try await a.engine.audit.makeHead()
        }
        let original = try await Self.verify(a)
        #expect(original.verified)
        let count = original.entries
        #expect(count > 12)

        struct Tamper {
            var name: String
            var sql: String
            var arguments: StatementArguments = []
            var entry: Int?
            var words: String
        }
        let tampers = [
            Tamper(
                name: "one byte altered",
                sql:
                    "UPDATE audit_log SET entry = CAST(replace(CAST(entry AS TEXT), '\"action\":', '\"action\": ') AS BLOB) WHERE seq = 5",
                entry: 5, words: "altered"),
            Tamper(name: "one deleted", sql: "DELETE FROM audit_log WHERE seq = 7", entry: 7, words: "missing"),
            Tamper(
                name: "two swapped",
                sql: """
                    UPDATE audit_log SET entry = CASE seq WHEN 3 THEN (SELECT entry FROM audit_log WHERE seq = 9)
                        ELSE (SELECT entry FROM audit_log WHERE seq = 3) END,
                      leaf_hash = CASE seq WHEN 3 THEN (SELECT leaf_hash FROM audit_log WHERE seq = 9)
                        ELSE (SELECT leaf_hash FROM audit_log WHERE seq = 3) END
                    WHERE seq IN (3, 9)
                    """,
                entry: 3, words: "moved"),
            Tamper(
                name: "truncated", sql: "DELETE FROM audit_log WHERE seq >= ?", arguments: [count - 3],
                entry: count - 3, words: "truncated"),
            Tamper(
                name: "altered with its stored hash recomputed",
                sql:
                    "UPDATE audit_log SET entry = CAST(replace(CAST(entry AS TEXT), '\"action\":', '\"action\": ') AS BLOB) WHERE seq = 4",
                entry: 4, words: "altered or replaced"),
        ]
        for tamper in tampers {
            let copy = region.folder.file("tampered-\(UUID().uuidString).sqlite")
            for suffix in ["", "-wal", "-shm"]
            where FileManager.default.fileExists(atPath: a.configuration.database.description + suffix) {
                try FileManager.default.copyItem(
                    atPath: a.configuration.database.description + suffix, toPath: copy + suffix)
            }
            let queue = try DatabaseQueue(path: copy)
            try await queue.write { db in
                try db.execute(sql: tamper.sql, arguments: tamper.arguments)
                if tamper.name.hasPrefix("altered with") {
                    // The forger recomputes the stored hash too: the next entry's link still catches it.
                    let entry = try Data.fetchOne(db, sql: "SELECT entry FROM audit_log WHERE seq = 4")!
                    try db.execute(
                        sql: "UPDATE audit_log SET leaf_hash = ? WHERE seq = 4", arguments: [MerkleTree.leafHash(entry)]
                    )
                }
            }
            try queue.close()
            let store = try Store(path: copy)
            let verifier = try AuditVerifier(
                authority: TestRegion.manchester,
                signCertificates: [try CertificateFile.loadCertificate(a.configuration.signCertificate, what: "sign")])
            let report = try await store.read { try verifier.verify($0) }
            let failure = try #require(report.failure, "\(tamper.name) is found")
            #expect(failure.entry == tamper.entry, "\(tamper.name): \(failure.reason)")
            #expect(failure.reason.contains(tamper.words), "\(tamper.name): \(failure.reason)")
        }
    }

    /// Checkpoints: Manchester hands Salford its tree heads; Salford checks each extends the
    /// last and keeps them; Manchester's log, truncated and its own heads deleted (a rewrite its
    /// own checks cannot see), is caught by what Salford holds.
    @Test func peersWitnessEachOtherAndARewriteIsCaught() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            _ = try await Self.escalatedCase(a, b)
            #expect(try await a.engine.audit.tick() == 1, "one checkpoint, to Salford")
            try await eventually("Salford witnesses the head") {
                let held = try await b.store.read { try $0.peerCheckpoints(from: TestRegion.manchester) }
                let sent = try await a.store.read { try $0.checkpointsSent(to: TestRegion.salford) }
                return held.count == 1 && sent.first?.state == .delivered
            }
            #expect(try await a.engine.audit.tick() == 0, "at most hourly")
            // More happens; an hour later the next head goes with a consistency proof.
            _ = try await a.engine.commands.sendRequest(TestRegion.draft())
            region.clock.advance(by: AuditTrail.interval + 1)
            #expect(try await a.engine.audit.tick() == 1)
            try await eventually("Salford checks the proof and keeps the second head", advancing: region.clock) {
                let held = try await b.store.read { try $0.peerCheckpoints(from: TestRegion.manchester) }
                let sent = try await a.store.read { try $0.checkpointsSent(to: TestRegion.salford) }
                return held.count == 2 && sent.allSatisfy { $0.state == .delivered }
            }
            let sent = try await a.store.read { try $0.checkpointsSent(to: TestRegion.salford) }
            #expect(sent.allSatisfy { $0.state == .delivered })
            let message = try #require(sent.first)
            guard
                case .checkpoint(let checkpoint) = try RefGateMessage.decode(
                    payload: try JWS(compact: message.jws).payload)
            else { throw RefGateError(.internalError, "not a checkpoint") }
            #expect(checkpoint.consistency != nil)
            #expect(
                try await b.store.read { try $0.auditRows() }.contains { row in
                    (try? AuditEntry.decode(row.entry))?.action == .checkpointReceived
                })

            // The check through the peer API, as `refgate audit verify --peer-checkpoints` runs it.
            let (report, answers) = try await AuditCheck.run(
                configuration: a.configuration, peerCheckpoints: true, logger: Logger(label: "test"))
            #expect(report.verified, "\(String(describing: report.failure))")
            #expect(report.witnessed == 2)
            #expect(answers == [WitnessAnswer(peer: TestRegion.salford, heads: 2, error: nil)])

            // Manchester rewrites history: drops its last entries and every head of its own.
            let witnessedSize = try #require(
                try await b.store.read { try $0.latestPeerCheckpoint(from: TestRegion.manchester) }
            ).head.treeSize
            try await a.store.write { _ in }  // flush the group writer
            let queue = try DatabaseQueue(path: a.configuration.database.description)
            try await queue.write { db in
                try db.execute(sql: "DELETE FROM audit_log WHERE seq >= ?", arguments: [witnessedSize - 2])
                try db.execute(sql: "DELETE FROM audit_heads")
            }
            try queue.close()
            #expect(try await Self.verify(a).verified, "its own checks cannot see it")
            let (caught, _) = try await AuditCheck.run(
                configuration: a.configuration, peerCheckpoints: true, logger: Logger(label: "test"))
            let failure = try #require(caught.failure)
            #expect(failure.reason.contains("witnessed") && failure.reason.contains("truncated"), "\(failure.reason)")
        }
    }
}
