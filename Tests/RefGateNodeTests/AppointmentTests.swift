import Foundation
import HTTPTypes
import RefGateCore
import RefGateStore
import Testing

@testable import RefGateNode

/// Paras 6–9 to the end: references verified outside the signed exchange count and say so, and
/// the appointment itself is recorded, refused before clearance unless a head of service
/// overrides with a reason.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AppointmentTests {
    @Test func aTelephoneVerificationClearsTheCandidateAndTheAppointmentIsRecorded() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        let recruiter = try await a.engine.accounts.add(
            name: "Jordan Ellis", email: "jordan@manchester.example", role: .recruiter, by: nil)
        let head = try await a.engine.accounts.add(
            name: "Ruth Bell", email: "ruth@manchester.example", role: .headOfService, by: nil)
        let api = IdentityTests.API(a)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let answered = try await a.engine.commands.sendRequest(TestRegion.draft(role: .qualifiedSocialWorker))
            let waiting = try await a.engine.commands.sendRequest(TestRegion.draft(role: .qualifiedSocialWorker))
            try await eventually("requests arrive") {
                try await b.store.read { try $0.case(waiting.id) } != nil
            }
            _ = try await b.engine.commands.respond(caseID: answered.id, TestRegion.verifiedBySeniorManager)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(answered.id) }?.status == .verified
            }
            _ = try await a.engine.commands.recordChecklist(
                registration: "SW104522",
                .init(dbsReviewed: true, permanentEmployerReferences: true, employmentGapsChallenged: true),
                recordedBy: nil, by: .user(recruiter.user))

            // Blocked: one reference awaits its answer. The appointment is refused.
            let refused = try await api.call(
                .post, "/candidates/SW104522/appointments", token: recruiter.token,
                body: #"{"appointedOn":"2026-12-07"}"#)
            #expect(refused.0 == .conflict && IdentityTests.code(refused.1) == "appointment-blocked")
            // A recruiter cannot override; only a head of service can.
            let overreach = try await api.call(
                .post, "/candidates/SW104522/appointments", token: recruiter.token,
                body: #"{"appointedOn":"2026-12-07","overrideReason":"Urgent cover"}"#)
            #expect(overreach.0 == .forbidden)

            // Verified by telephone with the referee's authority: counted, and said so.
            let body = """
                {"caseId":"\(waiting.id)","method":"telephone","verifiedWithName":"Priya Shah",\
                "verifiedWithOrganisation":"Salford City Council","verifiedOn":"\(LondonTime.date(of: region.clock.now()))"}
                """
            let recorded = try await api.call(
                .post, "/candidates/SW104522/offline-verifications", token: recruiter.token, body: body)
            #expect(recorded.0 == .created, "\(String(decoding: recorded.1, as: UTF8.self))")
            let gate = try await a.engine.queries.candidateStatus(registration: "SW104522")
            #expect(gate.clearance == .cleared)
            #expect(Set(gate.references.compactMap(\.verifiedBy)) == [.signedExchange, .outsideTheExchange])
            let outside = try #require(gate.references.first { $0.caseId == waiting.id })
            #expect(outside.status == .awaitingResponse && outside.offline?.method == .telephone)
            // The signed request is still on its way; the case's timeline (and evidence) says how.
            let timeline = try await a.engine.queries.detail(caseID: waiting.id).timeline
            let entry = try #require(timeline.first { $0.action == .referenceVerifiedOutside })
            #expect(entry.actor?.user == recruiter.user.id && entry.detail?["method"] == "telephone")

            let appointed = try await api.call(
                .post, "/candidates/SW104522/appointments", token: recruiter.token,
                body: #"{"appointedOn":"2026-12-07"}"#)
            #expect(appointed.0 == .created)
            let appointment = try MessageCoding.decoder().decode(AppointmentView.self, from: appointed.1)
            #expect(appointment.clearance == .cleared && !appointment.beforeClearance)
            #expect(appointment.approvedBy.name == "Jordan Ellis")

            // Another candidate, blocked: the head of service overrides with a reason.
            var other = TestRegion.draft(role: .qualifiedSocialWorker)
            other.candidate = .init(
                name: "Casey Hughes", registration: .init(body: "social-work-england", number: "SW200048"))
            _ = try await a.engine.commands.sendRequest(other)
            let overridden = try await api.call(
                .post, "/candidates/SW200048/appointments", token: head.token,
                body: #"{"appointedOn":"2026-12-07","overrideReason":"Child protection cover; references chased"}"#)
            #expect(overridden.0 == .created)
            let report = try await api.call(.get, "/appointments?beforeClearance=true", token: head.token)
            let before = try MessageCoding.decoder().decode([AppointmentView].self, from: report.1)
            #expect(before.map(\.registration) == ["SW200048"] && before.first?.overrideReason != nil)
            #expect(try await a.engine.queries.appointments().count == 2)

            // Outside the region, with a document's digest: a reference of its own.
            let letter = OfflineVerificationInput(
                method: .inWriting, verifiedWithName: "HR Officer", verifiedWithOrganisation: "Cheshire Care Ltd",
                verifiedOn: "2026-11-30", documentSHA256: String(repeating: "ab", count: 32))
            let standing = try await a.engine.commands.recordOfflineVerification(
                registration: "SW200048", letter, by: .user(recruiter.user))
            #expect(standing.offlineReferences.map(\.verifiedWithOrganisation) == ["Cheshire Care Ltd"])
            var future = letter
            future.verifiedOn = "2099-01-01"
            await #expect(throws: RefGateError.self) {
                try await a.engine.commands.recordOfflineVerification(
                    registration: "SW200048", future, by: .user(recruiter.user))
            }
        }
    }
}
