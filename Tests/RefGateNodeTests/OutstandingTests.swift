import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import Testing

/// The operator's view of what is outstanding, rated red/amber/green in working time.
@Suite(.serialized, .timeLimit(.minutes(5))) struct OutstandingTests {
    /// The side is one type in the code; lists and filters keep the wire's `sent`/`received`.
    @Test func aCasesSideIsWrittenAsItsDirection() throws {
        let owed =
            #"{"caseID":"c","direction":"received","peer":"E08000006","status":"awaiting-response","candidateName":"A","role":"team-manager","escalationLevel":0,"createdAt":"1970-01-01T00:00:00.000Z","overdue":false}"#
        var summary = try MessageCoding.decoder().decode(CaseSummary.self, from: Data(owed.utf8))
        #expect(summary.side == .responder)
        summary.side = .requester
        let json = try #require(String(data: try MessageCoding.encoder().encode(summary), encoding: .utf8))
        #expect(json.contains(#""direction":"sent""#) && !json.contains("side"))
        #expect(throws: DecodingError.self) {
            try MessageCoding.decoder().decode(
                CaseSummary.self, from: Data(owed.replacingOccurrences(of: "received", with: "responder").utf8))
        }
    }

    @Test func requestsInBothDirectionsAreRatedByTheirDeadline() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b], scheduler: .manual) {
            let now = region.clock.now()
            var soon = TestRegion.draft()
            soon.respondBy = now.addingTimeInterval(3600)
            var later = TestRegion.draft()
            later.respondBy = now.addingTimeInterval(14 * 86_400)
            var overdue = TestRegion.draft()
            overdue.respondBy = now.addingTimeInterval(1800)
            let amber = try await a.engine.commands.sendRequest(soon)
            let green = try await a.engine.commands.sendRequest(later)
            let red = try await a.engine.commands.sendRequest(overdue)
            try await eventually("all three arrive") {
                try await b.store.read { try $0.cases(side: .responder) }.count == 3
            }
            region.clock.advance(by: 1801)

            let rows = try await a.engine.queries.outstanding().items
            #expect(rows.map(\.caseID) == [red.id, amber.id, green.id], "most urgent first")
            #expect(rows.map(\.rag) == [.red, .amber, .green])
            #expect(rows.allSatisfy { $0.side == .requester && $0.peer == TestRegion.salford })
            #expect(rows[0].workingSecondsLeft <= 0, "overdue")
            #expect(rows[2].workingSecondsLeft >= 5 * a.engine.policy.calendar.workingDay)
            let owed = try await b.engine.queries.outstanding().items
            #expect(
                owed.count == 3 && owed.allSatisfy { $0.side == .responder && $0.peer == TestRegion.manchester })
            #expect(owed.first?.rag == .red)

            // Answered cases are no longer outstanding; an escalation's deadline replaces the request's.
            _ = try await b.engine.commands.respond(caseID: green.id, TestRegion.verifiedBySeniorManager)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(green.id) }?.status == .verified
            }
            let raised = try await a.engine.commands.raiseEscalation(
                caseID: amber.id, reason: .seriousConcern, raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"),
                note: nil)
            let after = try await a.engine.queries.outstanding().items
            #expect(Set(after.map(\.caseID)) == [red.id, amber.id])
            let escalated = try #require(after.first { $0.caseID == amber.id })
            #expect(escalated.escalationLevel == 2 && escalated.dueAt == raised.dueAt)
        }
    }
}
