import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import Testing

/// Paras 7–9 across two real nodes: a candidate clears only when the last reference is
/// verified and the safer-recruitment checklist is complete.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AppointmentGateNodeTests {
    @Test func theGateFlipsOnlyWhenTheLastReferenceIsVerifiedAndTheChecklistIsComplete() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            var second = TestRegion.draft()
            second.reference.refereeName = "Chris Doyle"
            let first = try await a.engine.commands.sendRequest(TestRegion.draft())
            let other = try await a.engine.commands.sendRequest(second)
            let registration = "SW104522"
            try await eventually("both requests arrive") {
                try await b.store.read { try $0.cases(side: .responder) }.count == 2
            }
            var status = try await a.engine.queries.candidateStatus(registration: registration)
            #expect(status.clearance == .blocked && status.references.count == 2)
            #expect(status.reasons.count == 2 + 3)

            _ = try await b.engine.commands.respond(caseID: first.id, TestRegion.verifiedBySeniorManager)
            _ = try await a.engine.commands.recordChecklist(
                registration: registration,
                .init(dbsReviewed: true, permanentEmployerReferences: true, employmentGapsChallenged: true),
                recordedBy: "Jordan Ellis")
            try await eventually("first answer arrives") {
                try await a.store.read { try $0.case(first.id) }?.status == .verified
            }
            status = try await a.engine.queries.candidateStatus(registration: registration)
            #expect(status.clearance == .blocked)
            #expect(status.reasons.count == 1 && status.reasons[0].contains(other.id))

            _ = try await b.engine.commands.respond(caseID: other.id, TestRegion.verifiedBySeniorManager)
            try await eventually("second answer arrives") {
                try await a.store.read { try $0.case(other.id) }?.status == .verified
            }
            status = try await a.engine.queries.candidateStatus(registration: registration)
            #expect(status.clearance == .cleared && status.reasons.isEmpty)
            #expect(status.name == "Alex Morgan" && status.role == .teamManager)

            // Un-ticking a check blocks again; the providing side has no candidate to clear.
            status = try await a.engine.commands.recordChecklist(
                registration: registration,
                .init(dbsReviewed: false, permanentEmployerReferences: true, employmentGapsChallenged: true),
                recordedBy: "Jordan Ellis")
            #expect(status.clearance == .blocked)
            await #expect(throws: RefGateError.self) {
                try await b.engine.queries.candidateStatus(registration: registration)
            }
            await #expect(throws: RefGateError.self) {
                try await a.engine.commands.recordChecklist(registration: "12345", .empty, recordedBy: "J")
            }
        }
    }
}
