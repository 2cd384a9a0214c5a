import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RefGateCore
import RefGateStore
import Testing

@testable import RefGateNode

/// The dashboard in-process over a real engine and store: sign-in with a one-time code, the
/// session cookie's attributes, escaping, CSRF and roles. The browser test drives the same
/// pages in Chromium.
@Suite(.timeLimit(.minutes(3))) struct DashboardTests {
    static func csrf(_ html: String) throws -> String {
        let match = try #require(html.firstMatch(of: /name="csrf" value="([^"]+)"/))
        return String(match.1)
    }

    static func body(_ response: TestResponse) -> String { String(buffer: response.body) }

    static func cookie(_ response: TestResponse, _ name: String) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }

    /// Signs in through the form and returns the session cookie header.
    static func signIn(
        _ client: some TestClientProtocol, accounts: Accounts, email: String
    ) async throws -> String {
        let code = try await accounts.issueSignInCode(user: email, by: nil).token
        let form = try await client.execute(uri: "/signin", method: .get)
        let guardCookie = try #require(cookie(form, Dashboard.signInCookie)).split(separator: ";")[0]
        let token = try csrf(body(form))
        let response = try await client.execute(
            uri: "/signin", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: String(guardCookie)],
            body: ByteBuffer(
                string:
                    "csrf=\(token)&email=\(email.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&code=\(code)"
            ))
        #expect(response.status == .seeOther)
        let session = try #require(cookie(response, Dashboard.sessionCookie))
        #expect(session.contains("HttpOnly") && session.contains("Secure") && session.contains("SameSite=Strict"))
        return String(session.split(separator: ";")[0])
    }

    @Test func signInPagesEscapingCSRFAndRoles() async throws {
        let region = try TestRegion()
        let node = try await region.makeEngine(TestRegion.manchester)
        var draft = TestRegion.draft()
        draft.candidate.name = "Alex O'Neil & Co"
        let opened = try await node.engine.commands.sendRequest(draft)
        let accounts = node.engine.accounts
        _ = try await accounts.add(
            name: "Sam <b>Operator</b>", email: "sam@manchester.example", role: .operator, by: nil)
        _ = try await accounts.add(name: "Rita Recruiter", email: "rita@manchester.example", role: .recruiter, by: nil)

        let router = Router(context: LocalRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        try Dashboard(
            engine: node.engine, health: nil, signIn: OneTimeCodeSignIn(accounts: accounts),
            authorityName: "Manchester City Council"
        ).add(to: router)
        try await Application(router: router).test(.router) { client in
            let anonymous = try await client.execute(uri: "/outstanding", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/signin")

            // A wrong code, and a form without its guard cookie, sign nobody in.
            let form = try await client.execute(uri: "/signin", method: .get)
            let wrong = try await client.execute(
                uri: "/signin", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded",
                    .cookie: String(try #require(Self.cookie(form, Dashboard.signInCookie)).split(separator: ";")[0]),
                ],
                body: ByteBuffer(
                    string: "csrf=\(try Self.csrf(Self.body(form)))&email=sam%40manchester.example&code=nope"))
            #expect(wrong.status == .unauthorized && Self.cookie(wrong, Dashboard.sessionCookie) == nil)
            let unguarded = try await client.execute(
                uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=x&email=sam%40manchester.example&code=nope"))
            #expect(unguarded.status == .forbidden)

            let operatorSession = try await Self.signIn(client, accounts: accounts, email: "sam@manchester.example")
            let page = try await client.execute(
                uri: "/outstanding", method: .get, headers: [.cookie: operatorSession])
            let html = Self.body(page)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(html.contains("Alex O&#39;Neil &amp; Co") && !html.contains("O'Neil & Co"))
            #expect(html.contains("Sam &lt;b&gt;Operator&lt;/b&gt;") && !html.contains("<b>Operator"))
            #expect(html.contains("/cases/\(opened.id)"))

            let casePage = try await client.execute(
                uri: "/cases/\(opened.id)", method: .get, headers: [.cookie: operatorSession])
            #expect(casePage.status == .ok && Self.body(casePage).contains("case.opened"))
            let performance = try await client.execute(
                uri: "/performance", method: .get, headers: [.cookie: operatorSession])
            #expect(performance.status == .ok && Self.body(performance).contains("Exchanges with each authority"))
            let csv = try await client.execute(
                uri: "/performance.csv", method: .get, headers: [.cookie: operatorSession])
            #expect(Self.body(csv).hasPrefix(PeerPerformance.csvHeader) && Self.body(csv).contains("E08000006"))

            // An operator may look at candidates but not record a checklist.
            let operatorCSRF = try Self.csrf(Self.body(page))
            let refused = try await client.execute(
                uri: "/candidates/SW104522/checklist", method: .post,
                headers: [.cookie: operatorSession, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(operatorCSRF)&dbsReviewed=yes"))
            #expect(refused.status == .forbidden)

            let recruiter = try await Self.signIn(client, accounts: accounts, email: "rita@manchester.example")
            let candidate = try await client.execute(
                uri: "/candidates/SW104522", method: .get, headers: [.cookie: recruiter])
            #expect(candidate.status == .ok && Self.body(candidate).contains("Blocked"))
            let noToken = try await client.execute(
                uri: "/candidates/SW104522/checklist", method: .post,
                headers: [.cookie: recruiter, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "dbsReviewed=yes"))
            #expect(noToken.status == .forbidden && Self.body(noToken).contains("form&#39;s token"))
            let recorded = try await client.execute(
                uri: "/candidates/SW104522/checklist", method: .post,
                headers: [.cookie: recruiter, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(
                    string:
                        "csrf=\(try Self.csrf(Self.body(candidate)))&dbsReviewed=yes&permanentEmployerReferences=yes&employmentGapsChallenged=yes"
                ))
            #expect(recorded.status == .seeOther)
            let checklist = try await node.store.read { try $0.checklist(registration: "SW104522") }
            #expect(checklist?.checklist.dbsReviewed == true && checklist?.recordedBy == "Rita Recruiter")

            // Signing out ends the session.
            let signOut = try await client.execute(
                uri: "/signout", method: .post,
                headers: [.cookie: recruiter, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(try Self.csrf(Self.body(candidate)))"))
            #expect(signOut.status == .seeOther)
            let after = try await client.execute(uri: "/candidates", method: .get, headers: [.cookie: recruiter])
            #expect(after.status == .seeOther)
        }
        let actions = try await node.store.read { try $0.auditRows(from: 0) }.compactMap {
            try? AuditEntry.decode($0.entry).action
        }
        #expect(actions.contains(.signedIn) && actions.contains(.signedOut) && actions.contains(.userAdded))
    }

    /// "E-mail me a code" on a running node with SMTP: the code arrives at the user's address
    /// (a real SMTP server, over STARTTLS), signs them in once, and an unknown address gets no
    /// mail and the same answer.
    @Test func aCodeByEmailSignsInOnce() async throws {
        let region = try TestRegion()
        let sink = try await MailSink.start(in: region)
        defer { sink.process.stop() }
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.notifications = EscalationTests.notifications(
            sink, ca: region.folder.file("ca/ca.pem"), from: "refgate@manchester.example")
        let node = try await region.makeNode(configuration: configuration)
        let accounts = node.engine.accounts
        _ = try await accounts.add(name: "Mo Ahmed", email: "mo@manchester.example", role: .serviceManager, by: nil)
        let router = Router(context: LocalRequestContext.self)
        let signIn = OneTimeCodeSignIn(accounts: accounts)
        try Dashboard(engine: node.engine, health: nil, signIn: signIn, authorityName: "Manchester").add(to: router)
        try await withRunning([node], extra: [signIn]) {
            try await Application(router: router).test(.router) { client in
                for address in ["mo%40manchester.example", "nobody%40manchester.example"] {
                    let form = try await client.execute(uri: "/signin", method: .get)
                    let guardCookie = try #require(Self.cookie(form, Dashboard.signInCookie)).split(separator: ";")[0]
                    let asked = try await client.execute(
                        uri: "/signin/code", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: String(guardCookie)],
                        body: ByteBuffer(string: "csrf=\(try Self.csrf(Self.body(form)))&email=\(address)"))
                    #expect(asked.status == .ok && Self.body(asked).contains("If that address has an account"))
                }
                try await eventually("the code is e-mailed") { try sink.mails(to: "mo@manchester.example").count == 1 }
                let mail = try #require(try sink.mails(to: "mo@manchester.example").first)
                let code = try #require(
                    mail.body.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                        .first { $0.count == 43 && !$0.contains(" ") })
                #expect(try sink.mails(to: "nobody@manchester.example").isEmpty)
                // The queue held a placeholder, never the code: reading the database does not sign in.
                let database = try DatabaseQueue(path: node.configuration.database.description)
                let bodies = try await database.read { db in
                    try String.fetchAll(db, sql: "SELECT body FROM notifications WHERE event = 'sign-in-code'")
                }
                try database.close()
                #expect(bodies.count == 1)
                #expect(bodies.allSatisfy { !$0.contains(code) && $0.contains("[[refgate-sign-in-code:") })

                let form = try await client.execute(uri: "/signin", method: .get)
                let guardCookie = String(
                    try #require(Self.cookie(form, Dashboard.signInCookie)).split(separator: ";")[0])
                let token = try Self.csrf(Self.body(form))
                for expected in [HTTPResponse.Status.seeOther, .unauthorized] {
                    let response = try await client.execute(
                        uri: "/signin", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: guardCookie],
                        body: ByteBuffer(string: "csrf=\(token)&email=mo%40manchester.example&code=\(code)"))
                    #expect(response.status == expected, "a code signs in once")
                }
            }
        }
    }

    /// Long lists are paged in the database, 100 a page, with links either side that keep the
    /// filters; the outstanding list is most urgent first across every page.
    @Test func longListsArePagedMostUrgentFirst() async throws {
        let region = try TestRegion()
        let node = try await region.makeEngine(TestRegion.manchester)
        let now = region.clock.now()
        let records = (0..<130).map { index in
            CaseRecord(
                id: String(format: "00000000-0000-4000-8000-%012d", index), side: .requester,
                peer: TestRegion.salford, status: .awaitingResponse, candidateName: "Candidate \(index)",
                candidateRole: .qualifiedSocialWorker, candidateRegistration: "SW\(900_000 + index)",
                // The newest cases are due first: the list's order is not the order of creation.
                respondBy: now.addingTimeInterval(Double(index) * 3_600 - 60_000),
                requestMessageID: "request-\(index)", createdAt: now.addingTimeInterval(-Double(index)),
                updatedAt: now)
        }
        try await node.store.write { tx in for record in records { try tx.insert(record) } }
        _ = try await node.engine.accounts.add(
            name: "Sam Operator", email: "sam@manchester.example", role: .operator, by: nil)
        let router = Router(context: LocalRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        try Dashboard(
            engine: node.engine, health: nil, signIn: OneTimeCodeSignIn(accounts: node.engine.accounts),
            authorityName: "Manchester City Council"
        ).add(to: router)
        try await Application(router: router).test(.router) { client in
            let session = try await Self.signIn(client, accounts: node.engine.accounts, email: "sam@manchester.example")
            func page(_ uri: String) async throws -> String {
                let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: session])
                #expect(response.status == .ok, "\(uri)")
                return Self.body(response)
            }
            let first = try await page("/outstanding")
            #expect(first.contains("Showing 1–100 of 130."))
            #expect(first.contains("href=\"/outstanding?offset=100\"") && !first.contains("previous-page"))
            // Most urgent first: the earliest deadline leads the first page, the latest ends the last.
            #expect(
                first.range(of: "/cases/\(records[0].id)")!.lowerBound
                    < first.range(of: "/cases/\(records[1].id)")!.lowerBound)
            #expect(!first.contains("/cases/\(records[129].id)"))
            let second = try await page("/outstanding?offset=100")
            #expect(second.contains("Showing 101–130 of 130.") && second.contains("/cases/\(records[129].id)"))
            #expect(second.contains("href=\"/outstanding\"") && !second.contains("next-page"))
            // The filters stay in the links.
            let red = try await page("/outstanding?rag=red")
            #expect(!red.contains("next-page") || red.contains("rag=red"))
            let candidates = try await page("/candidates")
            #expect(candidates.contains("Showing 1–100.") && candidates.contains("href=\"/candidates?offset=100\""))
            #expect(candidates.contains("SW900000") && !candidates.contains("SW900129"))
            let more = try await page("/candidates?offset=100")
            #expect(more.contains("Showing 101–130.") && more.contains("SW900129") && !more.contains("next-page"))
        }
    }
}
