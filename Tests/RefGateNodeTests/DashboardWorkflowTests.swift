import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RefGateCore
import RefGateStore
import Testing

@testable import RefGateNode

/// Every step in the browser, in process: send a request, answer it, decide, hold, appoint and
/// one's alerts, each as the signed-in user; a form with errors comes back with a summary
/// linking to the fields and every value typed.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DashboardWorkflowTests {
    /// A signed-in dashboard over `node` for one user.
    struct Browser {
        let app: Application<RouterResponder<LocalRequestContext>>
        let node: NodeEngine

        init(_ node: NodeEngine) throws {
            let router = Router(context: LocalRequestContext.self)
            router.add(middleware: ProblemMiddleware())
            try Dashboard(
                engine: node.engine, health: nil, signIn: OneTimeCodeSignIn(accounts: node.engine.accounts),
                authorityName: "Test"
            ).add(to: router)
            app = Application(router: router)
            self.node = node
        }

        /// GETs `path` then POSTs `fields` with the page's CSRF token, as `email`.
        func submit(_ path: String, _ fields: [String: String], as email: String) async throws
            -> (HTTPResponse.Status, String, String?)
        {
            try await app.test(.router) { client in
                let session = try await DashboardTests.signIn(client, accounts: node.engine.accounts, email: email)
                let page = try await client.execute(uri: path, method: .get, headers: [.cookie: session])
                #expect(page.status == .ok, "GET \(path): \(page.status)")
                var all = fields
                all["csrf"] = try DashboardTests.csrf(DashboardTests.body(page))
                let body = all.map {
                    "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                }.joined(separator: "&")
                let response = try await client.execute(
                    uri: path, method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: session],
                    body: ByteBuffer(string: body))
                return (response.status, DashboardTests.body(response), response.headers[.location])
            }
        }

        func get(_ path: String, as email: String) async throws -> String {
            try await app.test(.router) { client in
                let session = try await DashboardTests.signIn(client, accounts: node.engine.accounts, email: email)
                return DashboardTests.body(
                    try await client.execute(uri: path, method: .get, headers: [.cookie: session]))
            }
        }
    }

    @Test func aRequestIsSentAnsweredAndTheCandidateAppointedInTheBrowser() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        _ = try await a.engine.accounts.add(
            name: "Jordan Ellis", email: "jordan@manchester.example", role: .recruiter, jobTitle: "Recruitment officer",
            by: nil)
        _ = try await b.engine.accounts.add(
            name: "Sam Okafor", email: "sam@salford.example", role: .responder, seniority: .serviceManager, by: nil)
        let manchester = try Browser(a)
        let salford = try Browser(b)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            var fields = [
                "to": TestRegion.salford.rawValue, "candidateName": "Alex Morgan", "regulator": "social-work-england",
                "registration": "12345", "role": "team-manager", "agency": "Northern Social Care",
                "refereeName": "Priya Shah", "refereeStatedRole": "Service Manager", "team": "",
                "placementStart": "2025-03-03", "placementEnd": "2026-08-28", "dateGiven": "2026-09-15",
            ]
            // A missing field: the summary links to it and every value comes back.
            let missing = try await manchester.submit("/requests/new", fields, as: "jordan@manchester.example")
            #expect(missing.0 == .badRequest)
            #expect(missing.1.contains(##"<a href="#team">Enter team the candidate worked in</a>"##))
            #expect(missing.1.contains(#"value="Priya Shah""#) && missing.1.contains(#"value="12345""#))
            // A wrong registration: the command's own words, on the field.
            fields["team"] = "Children in Need East"
            let wrong = try await manchester.submit("/requests/new", fields, as: "jordan@manchester.example")
            #expect(wrong.0 == .badRequest && wrong.1.contains(##"<a href="#registration">"##))
            #expect(wrong.1.contains("is not a Social Work England registration"))
            fields["registration"] = "SW104522"
            let sent = try await manchester.submit("/requests/new", fields, as: "jordan@manchester.example")
            #expect(sent.0 == .seeOther)
            let caseID = try #require(sent.2?.split(separator: "/").last?.split(separator: "?").first).description
            let request = try #require(try await a.engine.queries.detail(caseID: caseID).request)
            #expect(request.requester.name == "Jordan Ellis" && request.requester.role == "Recruitment officer")
            try await eventually("request arrives") { try await b.store.read { try $0.case(caseID) } != nil }

            // The responder answers in the browser; a missing position is a field error.
            var answer = [
                "outcome": "verified", "authoredByReferee": "yes", "refereeActualRole": "Service Manager",
                "approvedBySeniorManager": "yes", "placementDatesConfirmed": "yes", "concerns": "",
            ]
            let noPosition = try await salford.submit(
                "/cases/\(caseID)/respond", answer, as: "sam@salford.example")
            #expect(noPosition.0 == .badRequest && noPosition.1.contains(##"<a href="#refereePosition">"##))
            answer["refereePosition"] = "service-manager"
            let answered = try await salford.submit("/cases/\(caseID)/respond", answer, as: "sam@salford.example")
            #expect(answered.0 == .seeOther)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(caseID) }?.status == .verified
            }
            let page = try await manchester.get("/cases/\(caseID)", as: "jordan@manchester.example")
            #expect(page.contains("Sam Okafor (service-manager)"))

            // A second request, verified by telephone in the browser while its answer is awaited.
            var second = fields
            second["registration"] = "SW104522"
            let other = try await manchester.submit("/requests/new", second, as: "jordan@manchester.example")
            let otherID = try #require(other.2?.split(separator: "/").last?.split(separator: "?").first).description
            let future = try await manchester.submit(
                "/candidates/SW104522/verified-outside",
                [
                    "caseId": otherID, "method": "telephone", "verifiedWithName": "Priya Shah",
                    "verifiedWithOrganisation": "Salford City Council", "verifiedOn": "2099-01-01",
                ], as: "jordan@manchester.example")
            #expect(future.0 == .badRequest && future.1.contains(##"<a href="#verifiedOn">"##))
            #expect(future.1.contains(#"value="Priya Shah""#))
            let verified = try await manchester.submit(
                "/candidates/SW104522/verified-outside",
                [
                    "caseId": otherID, "method": "telephone", "verifiedWithName": "Priya Shah",
                    "verifiedWithOrganisation": "Salford City Council",
                    "verifiedOn": LondonTime.date(of: region.clock.now()).description,
                ], as: "jordan@manchester.example")
            #expect(verified.0 == .seeOther)
            let candidate = try await manchester.get("/candidates/SW104522", as: "jordan@manchester.example")
            #expect(candidate.contains("verified by telephone with Priya Shah (Salford City Council)"))

            // The appointment: refused before the checklist, then recorded.
            let early = try await manchester.submit(
                "/candidates/SW104522/appoint", ["appointedOn": "2026-12-07", "overrideReason": ""],
                as: "jordan@manchester.example")
            #expect(early.0 == .conflict && early.1.contains("is not cleared"))
            #expect(early.1.contains(#"value="2026-12-07""#))
            _ = try await a.engine.commands.recordChecklist(
                registration: "SW104522",
                .init(dbsReviewed: true, permanentEmployerReferences: true, employmentGapsChallenged: true),
                recordedBy: "Jordan Ellis")
            let appointed = try await manchester.submit(
                "/candidates/SW104522/appoint", ["appointedOn": "2026-12-07", "overrideReason": ""],
                as: "jordan@manchester.example")
            #expect(appointed.0 == .seeOther)
            #expect(try await a.engine.queries.appointments().first?.approvedBy.name == "Jordan Ellis")

            // My alerts: everything unchecked turns off.
            let saved = try await salford.submit(
                "/me/alerts", ["request-arrived": "yes"], as: "sam@salford.example")
            #expect(saved.0 == .seeOther)
            let user = try #require(try await b.store.read { try $0.user(idOrEmail: "sam@salford.example") })
            let off = try await b.store.read { try $0.mutedAlerts(userID: user.id) }
            #expect(off == Set(AlertEvent.allCases.filter { $0 != .requestArrived }.map(\.rawValue)))
        }
    }
}
