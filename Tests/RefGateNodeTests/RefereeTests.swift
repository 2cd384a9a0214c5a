import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust
import Testing

@testable import RefGateNode

/// Para 5 applied to the referee, on both sides of the exchange, and the wire format a peer
/// reads: the structured position goes only to peers known to run a release that reads it.
@Suite(.serialized, .timeLimit(.minutes(3))) struct RefereeTests {
    static func answer(_ position: RefereePosition, approved: Bool = false) -> ResponseDraft {
        var draft = TestRegion.verifiedBySeniorManager
        draft.findings.refereeActualRole = position.title
        draft.findings.refereePosition = position
        draft.findings.approvedBySeniorManager = approved
        return draft
    }

    /// Both nodes as if each had heard the other's release.
    static func introduce(_ a: NodeEngine, _ b: NodeEngine, release: String) async throws {
        try await a.store.write { try $0.notePeerVersion(TestRegion.salford, release) }
        try await b.store.write { try $0.notePeerVersion(TestRegion.manchester, release) }
    }

    @Test func aColleaguesReferenceIsIneligibleOnBothSidesAndLevelOneOpensAtOnce() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        try await Self.introduce(a, b, release: MessageFormat.regionalFields)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .qualifiedSocialWorker))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            // The responder says "verified": it is genuine, but a colleague wrote it (para 5).
            let answered = try await b.engine.commands.respond(caseID: opened.id, Self.answer(.colleague))
            #expect(answered.status == .refereeIneligible)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .refereeIneligible
            }
            let response = try #require(try await a.engine.queries.detail(caseID: opened.id).response)
            #expect(response.outcome == .refereeIneligible && response.findings.refereePosition == .colleague)
            // Para 10: the commissioning service manager seeks a suitable reference at once.
            let escalations = try await a.store.read { try $0.escalations(caseID: opened.id) }
            #expect(escalations.map(\.reason) == [.suitableReferenceRequired])
            let audit = try await b.engine.queries.detail(caseID: opened.id).timeline
            #expect(audit.contains { $0.action == .responseSent && $0.detail?["para5"] != nil })
        }
    }

    @Test func theRequesterAppliesPara5ItselfToAVerifiedAnswer() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        try await Self.introduce(a, b, release: MessageFormat.regionalFields)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .teamManager))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            // A team manager's reference from their own first-line manager, approved by no one:
            // sent by a peer that does not apply the rule (signed here as Salford would).
            let request = try #require(try await b.engine.queries.detail(caseID: opened.id).request)
            let response = VerificationResponse(
                id: TimeOrderedID.make(), caseId: opened.id, from: TestRegion.salford, to: TestRegion.manchester,
                sentAt: region.clock.now(), inReplyTo: request.id, outcome: .verified,
                findings: Self.answer(.teamManager).findings, responder: .init(name: "Sam", role: .serviceManager))
            let jws = try region.signer(TestRegion.salford).sign(response)
            let authDER = try CertificateFile.loadCertificate(
                try region.configuration(TestRegion.salford).authCertificate, what: "auth"
            ).derBytes()
            _ = try await a.engine.intake.accept(compact: jws.compact, clientCertificateDER: authDER)
            #expect(try await a.store.read { try $0.case(opened.id) }?.status == .refereeIneligible)
        }
    }

    @Test func aPeerThatNeverSaidItsReleaseGetsThePreviousFormat() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .teamManager))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            // Approved by a senior manager: eligible, so verified.
            let answered = try await b.engine.commands.respond(
                caseID: opened.id, Self.answer(.teamManager, approved: true))
            #expect(answered.status == .verified)
            let sent = try #require(try await b.engine.queries.detail(caseID: opened.id).response)
            #expect(sent.findings.refereePosition == nil && sent.findings.approvedBySeniorManager == nil)
            let jws = try #require(
                try await b.store.read { try $0.messages(caseID: opened.id) }.first { $0.direction == .outgoing })
            #expect(!jws.jws.contains("refereePosition"))
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .verified
            }
        }
    }

    @Test func aSignedInResponderMustStateThePosition() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        let responder = try await b.engine.accounts.add(
            name: "Sam Okafor", email: "sam@salford.example", role: .responder, seniority: .serviceManager, by: nil)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .teamManager))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            var draft = TestRegion.verifiedBySeniorManager
            draft.responder = nil
            draft.findings.refereePosition = nil
            let refused = await #expect(throws: RefGateError.self) {
                try await b.engine.commands.respond(caseID: opened.id, draft, by: .user(responder.user))
            }
            #expect(refused?.code == .invalidInput && refused?.detail.contains("refereePosition") == true)
            draft.findings.refereePosition = .serviceManager
            let answered = try await b.engine.commands.respond(caseID: opened.id, draft, by: .user(responder.user))
            #expect(answered.status == .verified)
        }
    }
}

/// Registrations of the four UK regulators travel and key the candidate; a peer known to run
/// an earlier release is not sent one it would refuse.
@Suite(.serialized, .timeLimit(.minutes(3))) struct RegistrationTests {
    @Test func aWelshRegistrationTravelsAndKeysTheCandidate() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            var draft = TestRegion.draft(role: .qualifiedSocialWorker)
            draft.candidate.registration = .init(body: "social-care-wales", number: "1234567")
            let opened = try await a.engine.commands.sendRequest(draft)
            #expect(opened.candidateRegistration == "SCW-1234567")
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            #expect(try await b.store.read { try $0.case(opened.id) }?.candidateRegistration == "SCW-1234567")
            let status = try await a.engine.queries.candidateStatus(registration: "SCW-1234567")
            #expect(status.references.map(\.caseId) == [opened.id])

            draft.candidate.registration = .init(body: "social-work-england", number: "1234567")
            let wrong = await #expect(throws: RefGateError.self) { try await a.engine.commands.sendRequest(draft) }
            #expect(wrong?.detail.contains("/candidate/registration/number") == true)

            // Salford said it runs 1.1.0: a Scottish registration is refused before anything is sent.
            try await a.store.write { try $0.notePeerVersion(TestRegion.salford, "1.1.0") }
            draft.candidate.registration = .init(body: "scottish-social-services-council", number: "3123456")
            let old = await #expect(throws: RefGateError.self) { try await a.engine.commands.sendRequest(draft) }
            #expect(old?.detail.contains("1.1.0") == true)
            #expect(try await a.store.read { try $0.cases() }.count == 1)
        }
    }
}
