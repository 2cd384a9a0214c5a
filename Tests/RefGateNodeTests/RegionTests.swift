import Foundation
import Hummingbird
import HummingbirdTesting
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust
import Testing

@testable import RefGateNode

/// The agency and the region (paras 1, 3, 8, 9): four real engines with real signatures, peers
/// in process. Figures reach the coordinator signed and add up to what each node holds; para 8
/// notices reach the agency and the candidate; the one-time link works once.
@Suite(.serialized, .timeLimit(.minutes(3))) struct RegionTests {
    static let agency = CompaniesHouseNumber(rawValue: "09876543")!
    static let other = CompaniesHouseNumber(rawValue: "SC123456")!

    /// Four engines of one region, Manchester the coordinator, each able to plan e-mail.
    static func engines(_ region: TestRegion) async throws -> [AuthorityID: (NodeEngine, MemoryMailer)] {
        let network = PeerNetwork()
        var engines: [AuthorityID: (NodeEngine, MemoryMailer)] = [:]
        for id in [TestRegion.manchester, TestRegion.salford, TestRegion.trafford, TestRegion.bolton] {
            var configuration = try region.configuration(id)
            configuration.notifications = .init(
                smtp: SMTPSettings(host: "127.0.0.1", port: 1, security: .starttls, from: "refgate@example.org"))
            engines[id] = try await region.makeEngine(configuration: configuration, network: network)
        }
        return engines
    }

    static func draft(to: AuthorityID, number: Int, agency: CompaniesHouseNumber?, email: String? = nil)
        -> RequestDraft
    {
        var draft = TestRegion.draft(to: to, role: .qualifiedSocialWorker)
        draft.candidate = .init(
            name: "Candidate \(number)",
            registration: .init(body: "social-work-england", number: "SW\(300_000 + number)"))
        draft.agency = .init(name: "Agency \(agency?.rawValue ?? "-")", companiesHouseNumber: agency)
        draft.candidateEmail = email
        return draft
    }

    @Test func fourNodesFiguresReachTheCoordinatorSignedAndAddUp() async throws {
        let region = try TestRegion(withBolton: true)
        let engines = try await Self.engines(region)
        let ids = [TestRegion.manchester, TestRegion.salford, TestRegion.trafford, TestRegion.bolton]
        let all = ids.map { engines[$0]!.0 }
        let coordinator = engines[TestRegion.manchester]!.0
        try await withRunning(engines: all, scheduler: .manual) {
            // Every node asks each other node twice: 24 requests, from two agencies.
            var opened: [(from: AuthorityID, to: AuthorityID, id: String)] = []
            var n = 0
            for from in ids {
                for to in ids where to != from {
                    for _ in 0..<2 {
                        let draft = Self.draft(to: to, number: n, agency: n % 3 == 0 ? Self.other : Self.agency)
                        let sent = try await engines[from]!.0.engine.commands.sendRequest(draft)
                        opened.append((from, to, sent.id))
                        n += 1
                    }
                }
            }
            for request in opened {
                try await eventually("request \(request.id) arrives") {
                    try await engines[request.to]!.0.store.read { try $0.case(request.id) } != nil
                }
            }
            // Half answered in time (one referee ineligible); four late; the rest left overdue.
            for (index, request) in opened.enumerated() where index % 2 == 0 {
                var draft = TestRegion.verifiedBySeniorManager
                if index == 0 { draft.outcome = .refereeIneligible }
                _ = try await engines[request.to]!.0.engine.commands.respond(caseID: request.id, draft)
            }
            region.clock.advance(by: 5 * 86_400)
            for (index, request) in opened.enumerated() where index % 2 == 1 && index < 8 {
                _ = try await engines[request.to]!.0.engine.commands.respond(
                    caseID: request.id, TestRegion.verifiedBySeniorManager)
            }
            for request in opened.enumerated().filter({ $0.offset % 2 == 0 || $0.offset < 8 }).map(\.element) {
                try await eventually("answer to \(request.id) arrives") {
                    try await engines[request.from]!.0.store.read { try $0.case(request.id) }?.status
                        != .awaitingResponse
                }
            }
            _ = try await coordinator.engine.agencies.recordConcern(
                agency: Self.agency.rawValue, category: .references, text: "A colleague's reference again.",
                recordedBy: Person(name: "Mo Ahmed", role: "Service Manager"), by: .node)

            // Each node signs its figures; the coordinator holds every one.
            let started = ContinuousClock.now
            for engine in all { #expect(try await engine.engine.region.sendFigures() == 2) }
            let period = RegionalPeriod(containing: region.clock.now())
            let months = Set([period.description, period.previous.description])
            try await eventually("figures reach the coordinator") {
                let held = try await coordinator.store.read { try $0.latestRegionalFigures() }
                return Set(held.map(\.figures.from)) == Set(ids) && held.count == 2 * ids.count
            }
            print("figures from 4 nodes held at the coordinator after \(ContinuousClock.now - started)")
            let held = try await coordinator.store.read { try $0.latestRegionalFigures() }
            #expect(Set(held.map(\.figures.period)) == months)

            // What each node holds, counted again by that node, is what the coordinator holds.
            for id in ids {
                for month in months {
                    let local = try await engines[id]!.0.engine.region.figures(
                        for: RegionalPeriod(month)!, to: TestRegion.manchester)
                    let remote = try #require(held.first { $0.figures.from == id && $0.figures.period == month })
                    #expect(remote.figures.peers == local.peers, "\(id) \(month) peers")
                    #expect(remote.figures.agencies == local.agencies, "\(id) \(month) agencies")
                    // Traced to its signature: the stored bytes verify as the sender's and say the same.
                    let message = try #require(try await coordinator.store.read { try $0.message(remote.messageID) })
                    let jws = try JWS(compact: message.jws)
                    #expect(
                        try await coordinator.directory.current.verifySignature(of: jws, at: region.clock.now()) == id)
                    #expect(try RefGateMessage.decode(payload: jws.payload) == .regionalFigures(remote.figures))
                    // No personal data: neither names nor registration numbers.
                    let text = String(decoding: jws.payload, as: UTF8.self)
                    #expect(!text.contains("Candidate") && !text.contains("SW3"))
                }
            }
            // The sums add up to the cases the four nodes hold.
            let figures = held.map(\.figures)
            let sent = figures.flatMap(\.peers).reduce(0) { $0 + $1.requestsSent }
            let received = figures.flatMap(\.peers).reduce(0) { $0 + $1.requestsReceived }
            #expect(sent == opened.count && received == opened.count)
            let inTime = figures.flatMap(\.peers).reduce(0) { $0 + $1.answeredInTime }
            let late = figures.flatMap(\.peers).reduce(0) { $0 + $1.answeredLate }
            let overdue = figures.flatMap(\.peers).reduce(0) { $0 + $1.overdueUnanswered }
            #expect(inTime == 12 && late == 4 && overdue == 8)
            let agencyRequests = figures.flatMap(\.agencies).filter { $0.companiesHouseNumber == Self.agency }
                .reduce(0) { $0 + $1.requests }
            #expect(agencyRequests == opened.indices.filter { $0 % 3 != 0 }.count)
            #expect(figures.flatMap(\.agencies).reduce(0) { $0 + ($1.concerns["references"] ?? 0) } == 1)

            // The picture: Salford was asked 6 times, 3 in time, 1 late, 2 overdue (all under 5 but 6).
            let picture = try await coordinator.engine.region.picture()
            let salford = try #require(picture.authorities.first { $0.authority == TestRegion.salford })
            #expect(salford.requests == "6" && salford.reported)
            #expect(salford.answeredInTime == "fewer than 5")
            let onTime = try #require(salford.standards.first { $0.standard == .answeredInTime })
            #expect(onTime.rating == .red && onTime.shown == "50%")
            #expect(picture.sources.count == held.count)
            #expect(picture.agencies.map(\.companiesHouseNumber) == [Self.agency, Self.other])
            // Only the coordinator has the picture.
            await #expect(throws: RefGateError.self) {
                try await engines[TestRegion.salford]!.0.engine.region.picture()
            }
        }
    }

    @Test func onlyTheCoordinatorTakesFigures() async throws {
        let region = try TestRegion()
        let salford = try await region.makeEngine(TestRegion.salford)
        let trafford = try region.configuration(TestRegion.trafford)
        let figures = RegionalFigures(
            id: TimeOrderedID.make(), from: TestRegion.trafford, to: TestRegion.salford, sentAt: region.clock.now(),
            period: "2026-12", final: false, peers: [], agencies: [])
        let compact = try region.signer(TestRegion.trafford).sign(payload: try MessageCoding.encoder().encode(figures))
            .compact
        let der = try CertificateFile.loadCertificate(trafford.authCertificate, what: "auth").derBytes()
        do {
            _ = try await salford.engine.intake.accept(compact: compact, clientCertificateDER: der)
            Issue.record("a node that is not the coordinator took figures")
        } catch let error as RefGateError {
            #expect(error.code == .notCoordinator)
        }
    }

    @Test func para8NoticesAndTheAgencysOneTimeLink() async throws {
        let region = try TestRegion()
        let (a, b, _) = try await EscalationTests.engines(region)
        _ = try await a.engine.agencies.save(
            number: "9876543", name: "Northern Social Care Recruitment Ltd",
            contactEmail: "compliance@northern.example",
            by: .node)
        try await withRunning(engines: [a, b], scheduler: .manual) {
            var draft = Self.draft(
                to: TestRegion.salford, number: 1, agency: Self.agency, email: "candidate1@home.example")
            let first = try await a.engine.commands.sendRequest(draft)
            draft.reference.refereeName = "Another Referee"
            let another = try await a.engine.commands.sendRequest(draft)
            let notices = try await a.store.read { try $0.notifications() }.filter { $0.event == "para8-opened" }
            // One notice each, each alone in its mail; the second request told nobody again.
            #expect(Set(notices.map(\.target)) == ["compliance@northern.example", "candidate1@home.example"])
            let body = try #require(notices.first?.body)
            #expect(body.contains("will not be agreed until every reference has been verified"))
            #expect(
                body.contains("colleague") && !body.contains("Priya") && !body.contains(TestRegion.salford.rawValue))
            let timeline = try await a.engine.queries.detail(caseID: first.id).timeline
            #expect(timeline.contains { $0.action == .agencyNotified })
            #expect(try await a.engine.queries.candidateStatus(registration: "SW300001").agencyNotices == [.opened])

            // The link: e-mailed to the agency, works once, shows only the candidate.
            let sent = try await a.engine.agencies.sendLink(registration: "SW300001", by: .node)
            #expect(sent.sentTo == "compliance@northern.example")
            let mail = try #require(
                try await a.store.read { try $0.notifications() }.first { $0.event == "agency-link" })
            let token = try #require(mail.body.firstMatch(of: /agency\/confirm\/([A-Za-z0-9_-]{43})/)).1
            let page = try await a.engine.agencies.linkPage(token: String(token))
            #expect(page.candidateName == "Candidate 1")
            // Another token one character off (not the same one when it already ends in "A").
            let altered = String(token.dropLast()) + (token.last == "A" ? "B" : "A")
            await #expect(throws: RefGateError.self) { try await a.engine.agencies.linkPage(token: altered) }
            let checks = try await a.engine.agencies.confirmByLink(
                token: String(token), dbsReviewed: true, permanentEmployerReferences: true,
                employmentGapsChallenged: false, confirmedBy: "Chris Reid")
            #expect(checks.method == .oneTimeLink && !checks.complete)
            await #expect(throws: RefGateError.self) {
                try await a.engine.agencies.confirmByLink(
                    token: String(token), dbsReviewed: true, permanentEmployerReferences: true,
                    employmentGapsChallenged: true, confirmedBy: "Someone Else")
            }
            let status = try await a.engine.queries.candidateStatus(registration: "SW300001")
            #expect(status.agencyChecks?.confirmedBy == "Chris Reid" && status.agency == Self.agency)

            // A link expires unused.
            _ = try await a.engine.agencies.sendLink(registration: "SW300001", by: .node)
            let second = try #require(
                try await a.store.read { try $0.notifications() }.filter { $0.event == "agency-link" }.last)
            let expiring = try #require(second.body.firstMatch(of: /agency\/confirm\/([A-Za-z0-9_-]{43})/)).1
            region.clock.advance(by: 8 * 86_400)
            await #expect(throws: RefGateError.self) { try await a.engine.agencies.linkPage(token: String(expiring)) }

            // A referee found ineligible: the agency and the candidate are told the appointment waits.
            var ineligible = TestRegion.verifiedBySeniorManager
            ineligible.outcome = .notVerified
            _ = try await b.engine.commands.respond(caseID: first.id, ineligible)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(first.id) }?.status == .notVerified
            }
            let blocked = try await a.store.read { try $0.notifications() }.filter { $0.event == "para8-blocked" }
            #expect(Set(blocked.map(\.target)) == ["compliance@northern.example", "candidate1@home.example"])

            // The candidate's address is theirs: in their subject export, and gone with their cases.
            #expect(
                try await a.engine.personalData.subjectExport(registration: "SW300001").candidateEmail
                    == "candidate1@home.example")
            try await eventually("second request arrives") {
                try await b.store.read { try $0.case(another.id) } != nil
            }
            _ = try await b.engine.commands.respond(caseID: another.id, TestRegion.verifiedBySeniorManager)
            try await eventually("second answer arrives") {
                try await a.store.read { try $0.case(another.id) }?.status == .verified
            }
            region.clock.advance(by: 7 * 366 * 86_400)
            #expect(try await a.engine.personalData.runRetention(dryRun: false).cases.count == 2)
            #expect(try await a.store.read { try $0.candidateContact(registration: "SW300001") } == nil)
        }
    }

    @Test func agenciesMergeAndTheirConcernsAreForManagers() async throws {
        let region = try TestRegion()
        let a = try await region.makeEngine(TestRegion.manchester)
        _ = try await a.engine.agencies.save(number: "09876543", name: "Northern", contactEmail: nil, by: .node)
        _ = try await a.engine.agencies.save(number: "12345678", name: "Northern (typo)", contactEmail: nil, by: .node)
        _ = try await a.engine.commands.sendRequest(
            Self.draft(to: TestRegion.salford, number: 2, agency: .init(rawValue: "12345678")))
        _ = try await a.engine.agencies.recordConcern(
            agency: "12345678", category: .conduct, text: "Pressed for a start date.",
            recordedBy: Person(name: "Mo", role: "Service Manager"), by: .node)
        let into = try await a.engine.agencies.merge("12345678", into: "09876543", by: .node)
        #expect(into.number == Self.agency)
        #expect(try await a.engine.agencies.list().map(\.number) == [Self.agency])
        #expect(try await a.engine.agencies.concerns(agency: "12345678").count == 1, "the old number finds it")
        let status = try await a.engine.queries.candidateStatus(registration: "SW300002")
        #expect(status.agency == Self.agency)
        // Kept for the concern period (6 years by default), then deleted by the retention run.
        region.clock.advance(by: 5 * 365 * 86_400)
        _ = try await a.engine.personalData.runRetention(dryRun: false)
        #expect(try await a.engine.agencies.concerns(agency: "09876543").count == 1)
        region.clock.advance(by: 2 * 365 * 86_400)
        _ = try await a.engine.personalData.runRetention(dryRun: false)
        #expect(try await a.engine.agencies.concerns(agency: "09876543").isEmpty)
        await #expect(throws: RefGateError.self) {
            try await a.engine.agencies.save(number: "1234567X", name: "Bad", contactEmail: nil, by: .node)
        }
    }

    @Test func aPeerOfThePreviousReleaseGetsNoCompaniesHouseNumber() async throws {
        let region = try TestRegion()
        let a = try await region.makeEngine(TestRegion.manchester)
        try await a.store.write { tx in try tx.notePeerVersion(TestRegion.salford, "1.2.0") }
        try await a.store.write { tx in try tx.notePeerVersion(TestRegion.trafford, "1.3.0") }
        for (peer, carries) in [(TestRegion.salford, false), (TestRegion.trafford, true)] {
            let opened = try await a.engine.commands.sendRequest(
                Self.draft(to: peer, number: carries ? 4 : 3, agency: Self.agency))
            let request = try #require(try await a.engine.queries.detail(caseID: opened.id).request)
            #expect((request.agency.companiesHouseNumber != nil) == carries, "\(peer)")
            // The case keeps the agency either way.
            #expect(
                try await a.engine.queries.candidateStatus(registration: "SW30000\(carries ? 4 : 3)").agency
                    == Self.agency)
        }
    }

    /// The regional page is the coordinator's: its menu shows it; another node's does not, and
    /// the page itself says where the picture is.
    @Test func onlyTheCoordinatorsMenuShowsTheRegion() async throws {
        let region = try TestRegion()
        for (id, shown) in [(TestRegion.manchester, true), (TestRegion.salford, false)] {
            let node = try await region.makeEngine(id)
            _ = try await node.engine.accounts.add(
                name: "Hari Head", email: "hari@\(id).example", role: .headOfService, by: nil)
            let router = Router(context: LocalRequestContext.self)
            router.add(middleware: ProblemMiddleware())
            try Dashboard(
                engine: node.engine, health: nil, signIn: OneTimeCodeSignIn(accounts: node.engine.accounts),
                authorityName: "\(id)"
            ).add(to: router)
            try await Application(router: router).test(.router) { client in
                let session = try await DashboardTests.signIn(
                    client, accounts: node.engine.accounts, email: "hari@\(id).example")
                let home = try await client.execute(uri: "/escalations", method: .get, headers: [.cookie: session])
                #expect(DashboardTests.body(home).contains(#"href="/region""#) == shown, "\(id)")
                let page = try await client.execute(uri: "/region", method: .get, headers: [.cookie: session])
                #expect((page.status == .ok) == shown, "\(id)")
                if !shown { #expect(DashboardTests.body(page).contains("not the region&#39;s coordinator")) }
            }
        }
    }
}
