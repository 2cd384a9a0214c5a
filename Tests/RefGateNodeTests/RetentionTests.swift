import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing

/// Retention (UK GDPR storage limitation) and subject access on real nodes: personal data of
/// expired cases becomes hashes, the audit tree and its signed heads still verify, ids and
/// digests stay, and the purge is itself an audit entry.
@Suite(.serialized, .timeLimit(.minutes(5))) struct RetentionTests {
    @Test func expiredCasesArePurgedAndTheAuditTreeStillVerifies() async throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.retention = .init(appointedYears: 6, notAppointedYears: 1, concernYears: 2)
        let a = try await region.makeNode(configuration: configuration)
        var theirs = try region.configuration(TestRegion.salford)
        theirs.retention = configuration.retention
        let b = try await region.makeNode(configuration: theirs)
        let (unanswered, verified) = try await withRunning([a, b]) { () -> (CaseView, CaseView) in
            let unanswered = try await AuditTests.escalatedCase(a, b)  // unable to verify: no appointment
            let verified = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("second request arrives") {
                try await b.store.read { try $0.case(verified.id) } != nil
            }
            _ = try await b.engine.commands.respond(caseID: verified.id, TestRegion.verifiedBySeniorManager)
            try await eventually("verified") {
                try await a.store.read { try $0.case(verified.id) }?.status == .verified
            }
            return (unanswered, verified)
        }
        let before = try await a.engine.personalData.subjectExport(registration: "SW104522")
        #expect(before.cases.count == 2)
        let request = try #require(before.cases.first { $0.record.id == unanswered.id }?.messages.first)
        if case .object(let payload)? = request.payload, case .object(let candidate)? = payload["candidate"] {
            #expect(candidate["name"] == .string("Alex Morgan"))
        } else {
            Issue.record("the subject export holds the request's content")
        }
        let head = try await a.engine.audit.makeHead()

        // A year and a day later nothing is due: the case that never led to an appointment was
        // escalated, a concern, kept for concernYears (2 here).
        region.clock.advance(by: 366 * 86_400)
        #expect(try await a.engine.personalData.runRetention(dryRun: true).cases.isEmpty)
        // Two years and a day later it is, unless a head of service holds it.
        region.clock.advance(by: 366 * 86_400)
        _ = try await a.engine.commands.setLegalHold(
            caseID: unanswered.id, reason: "Referred to Social Work England; keep until the hearing",
            setBy: Person(name: "Ruth Bell", role: "Head of service"))
        #expect(try await a.engine.personalData.runRetention(dryRun: false).cases.isEmpty, "held")
        try await a.engine.commands.liftLegalHold(caseID: unanswered.id)
        let dry = try await a.engine.personalData.runRetention(dryRun: true)
        #expect(dry.cases.map(\.caseID) == [unanswered.id] && dry.cases.first?.basis == .concern)
        #expect(dry.cases.first?.purged == nil)
        #expect(
            try await a.store.read { try $0.case(unanswered.id) }?.candidateName == "Alex Morgan",
            "a dry run changes nothing")

        let run = try await a.engine.personalData.runRetention(dryRun: false)
        #expect(run.cases.map(\.caseID) == [unanswered.id])
        #expect(run.cases.first?.purged?.messages == 4 && run.cases.first?.purged?.escalationNotes == 1)
        let purged = try #require(try await a.store.read { try $0.case(unanswered.id) })
        #expect(purged.candidateName.hasPrefix("sha256:") && purged.candidateRegistration?.hasPrefix("sha256:") == true)
        let messages = try await a.store.read { try $0.messages(caseID: unanswered.id) }
        for message in messages {
            #expect(message.jws == "purged:" + message.digest, "the body is gone, its digest stays")
            #expect(try await a.store.read { try $0.receipt(messageID: message.id) } != nil, "receipts stay")
        }
        let note = try await a.store.read { try $0.escalations(caseID: unanswered.id) }.first?.note
        #expect(note?.hasPrefix("sha256:") == true)
        #expect(try await a.store.read { try $0.case(verified.id) }?.candidateName == "Alex Morgan", "still kept")
        #expect(try await a.engine.personalData.runRetention(dryRun: false).cases.isEmpty, "nothing twice")

        // The tree and the head signed before the purge still verify; the purge is an entry.
        let report = try await AuditTests.verify(a)
        #expect(report.verified && report.heads >= 1, "\(String(describing: report.failure))")
        let after = try await a.engine.audit.makeHead()
        #expect(after.treeSize > head.treeSize)
        #expect(try await AuditTests.verify(a).verified)
        let entries = try await AuditTests.entries(a, caseID: unanswered.id)
        #expect(entries.last?.action == .retentionRun && entries.last?.detail?["messages"] == "4")

        // Subject access now finds only what is still held; evidence of the purged case is refused.
        let now = try await a.engine.personalData.subjectExport(registration: "SW104522")
        #expect(now.cases.map(\.record.id) == [verified.id])
        await #expect(throws: RefGateError.self) { try await a.engine.audit.evidence(caseID: unanswered.id) }

        // At the responder too: the request's id and digest stay, so a resend is still known.
        let requestID = unanswered.requestMessageID
        let original = try #require(try await b.store.read { try $0.message(requestID) })
        _ = try await b.engine.personalData.runRetention(dryRun: false)
        let kept = try #require(try await b.store.read { try $0.message(requestID) })
        #expect(kept.digest == original.digest && kept.jws.hasPrefix("purged:"))
        #expect(try await b.store.read { try $0.receipt(messageID: requestID) } != nil)
    }

    @Test func theRuleKeepsVerifiedCasesSixYearsAndOthersOne() {
        let closed = Date(timeIntervalSince1970: 1_700_000_000)
        let rule = RetentionRule.default
        #expect(rule.purgeDue(status: .awaitingResponse, escalationLevel: 2, closedAt: closed) == nil, "open")
        let verified = rule.purgeDue(status: .verified, escalationLevel: 0, closedAt: closed)
        #expect(verified?.1 == .appointed)
        #expect(
            verified.map { Int(($0.0.timeIntervalSince(closed) / 86_400).rounded()) } == 6 * 365 + 2,
            "six years, two leap days")
        #expect(rule.purgeDue(status: .notVerified, escalationLevel: 0, closedAt: closed)?.1 == .notAppointed)
        let spent = rule.purgeDue(status: .awaitingResponse, escalationLevel: 3, closedAt: closed)
        #expect(spent?.1 == .notAppointed, "a spent ladder closes the case")
    }
}
