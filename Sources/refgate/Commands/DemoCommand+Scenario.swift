import Foundation
import RefGateCore
import RefGateNode
import RefGateStore

/// The region demo's scenario on a manual clock: requests between many pairs of the 24
/// authorities; most answered at once, some late, some never (reaching level 1, level 2 and
/// the end of the ladder); one referee ineligible; one serious concern; one candidate cleared
/// and one blocked.
struct RegionScenario {
    let nodes: [AuthorityID: Node]
    let order: [AuthorityID]
    let clock: ManualClock

    struct Request {
        let from: AuthorityID
        let to: AuthorityID
        let caseID: String
        let registration: String
    }

    static let firstNames = ["Alex", "Sam", "Jordan", "Priya", "Chris", "Morgan", "Robin", "Taylor", "Jamie", "Casey"]
    static let lastNames = ["Morgan", "Okafor", "Shah", "Ellis", "Reid", "Chan", "Hughes", "Kaur", "Walsh", "Byrne"]

    /// What happened, for the summary.
    struct Outcome {
        var requests: [Request] = []
        var answeredAtOnce = 0
        var answeredLate = 0
        var cleared: AppointmentGate.Status?
        var blocked: AppointmentGate.Status?
        /// The open level 1 escalation waiting for the dashboard's authority's service managers.
        var openEscalation: EscalationView?
        /// The coordinator's picture once every node sent its figures.
        var region: RegionalPicture?
        /// From the first figures queued to the last one held at the coordinator.
        var figuresTook: Duration?
    }

    /// The two agencies of the scenario's candidates, by Companies House number.
    static let agencies: [VerificationRequest.Agency] = [
        .init(name: "Northern Social Care Recruitment Ltd", companiesHouseNumber: .init(rawValue: "09876543")),
        .init(name: "Pennine Locum Social Work Ltd", companiesHouseNumber: .init(rawValue: "SC123456")),
    ]

    func run(log: (String) -> Void) async throws -> Outcome {
        var outcome = Outcome()
        // 48 requests: each authority asks its next neighbour and the one seven along.
        for (index, from) in order.enumerated() {
            for step in [1, 7] {
                let to = order[(index + step) % order.count]
                let n = outcome.requests.count
                let registration = "SW\(200_000 + n)"
                let draft = RequestDraft(
                    to: to,
                    candidate: .init(
                        name: "\(Self.firstNames[n % 10]) \(Self.lastNames[(n / 10) % 10])",
                        registration: .init(body: "social-work-england", number: registration)),
                    role: n % 2 == 0 ? .teamManager : .qualifiedSocialWorker,
                    agency: Self.agencies[n % 2],
                    reference: .init(
                        refereeName: "Referee \(n)", refereeStatedRole: "Service Manager", team: "Children in Need",
                        placementStart: "2025-03-03", placementEnd: "2026-08-28", dateGiven: "2026-09-15"),
                    requester: .init(
                        name: "Recruiter \(from)", role: "Recruitment Officer", email: "recruitment@\(from).example"))
                let opened = try await nodes[from]!.engine.commands.sendRequest(draft)
                outcome.requests.append(Request(from: from, to: to, caseID: opened.id, registration: registration))
            }
        }
        try await settle()
        log("48 requests sent between 24 authorities, each delivered and receipted")

        // Most are answered at once; one referee was never the candidate's manager; one draws a
        // serious concern straight to heads of service; 14 are not answered.
        for (n, request) in outcome.requests.enumerated() where n < 34 {
            if n == 7 {
                _ = try await nodes[request.from]!.engine.commands.raiseEscalation(
                    caseID: request.caseID, reason: .seriousConcern,
                    raisedBy: Person(name: "Service Manager \(request.from)", role: "Service Manager"),
                    note: "Concerns about the candidate's practice were raised informally.")
                continue
            }
            try await answer(request, outcome: n == 5 ? .refereeIneligible : n == 6 ? .notVerified : .verified)
            outcome.answeredAtOnce += 1
        }
        try await settle()
        log(
            "\(outcome.answeredAtOnce) answered at once (one referee ineligible, so level 1 at once; one not verified); one serious concern raised (level 2); \(try await levels())"
        )

        // Three working days on: the unanswered reach level 1; six are then answered late.
        try await advance(workingDays: 3)
        for request in outcome.requests[34..<40] {
            try await answer(request, outcome: .verified)
            outcome.answeredLate += 1
        }
        try await settle()
        log("3 working days later, 6 answered late: \(try await levels())")

        // Three more: level 1 unanswered goes to heads of service; four answered at level 2.
        try await advance(workingDays: 3)
        for request in outcome.requests[40..<44] {
            try await answer(request, outcome: .verified)
            outcome.answeredLate += 1
        }
        try await settle()
        log("3 more working days, 4 answered at level 2: \(try await levels())")

        // And three more: the ladder is spent for the rest (para 14).
        try await advance(workingDays: 3)
        try await settle()
        log("3 more working days: \(try await levels()) (para 14: what remains goes to the escalation route)")

        // The candidate of the first request: verified and checklist done, so cleared; the
        // candidate of a request never answered stays blocked.
        let first = outcome.requests[0]
        outcome.cleared = try await nodes[first.from]!.engine.commands.recordChecklist(
            registration: first.registration,
            SaferRecruitmentChecklist(
                dbsReviewed: true, permanentEmployerReferences: true, employmentGapsChallenged: true),
            recordedBy: "Recruiter \(first.from)")
        let never = outcome.requests[44]
        outcome.blocked = try await nodes[never.from]!.engine.queries.candidateStatus(registration: never.registration)

        // For the dashboard of the first authority: its neighbour asks about one more candidate,
        // it answers, and the neighbour judges the answer unsatisfactory, so a level 1
        // escalation waits in its service managers' inbox.
        let shown = order[0]
        let neighbour = order[1]
        let extra = try await nodes[neighbour]!.engine.commands.sendRequest(
            RequestDraft(
                to: shown,
                candidate: .init(
                    name: "Casey Hughes", registration: .init(body: "social-work-england", number: "SW200048")),
                role: .qualifiedSocialWorker, agency: .init(name: "Northern Social Care Recruitment Ltd"),
                reference: .init(
                    refereeName: "Referee 48", refereeStatedRole: "Team Manager", team: "Fostering",
                    placementStart: "2024-01-08", placementEnd: "2026-06-30", dateGiven: "2026-09-20"),
                requester: .init(
                    name: "Recruiter \(neighbour)", role: "Recruitment Officer",
                    email: "recruitment@\(neighbour).example")))
        try await settle()
        try await answer(
            Request(from: neighbour, to: shown, caseID: extra.id, registration: "SW200048"), outcome: .verified)
        try await settle()
        let escalation = try await nodes[neighbour]!.engine.commands.raiseEscalation(
            caseID: extra.id, reason: .unsatisfactoryResponse,
            raisedBy: Person(name: "Service Manager \(neighbour)", role: "Service Manager"),
            note: "The reference does not say why the placement ended early.")
        try await settle()
        outcome.openEscalation = try await nodes[shown]!.engine.queries.escalation(escalation.id)
        log("one more request answered and judged unsatisfactory: a level 1 escalation waits at \(shown)")

        // Every node signs its month's figures to the coordinator the directory names.
        let started = ContinuousClock.now
        for id in order { try await nodes[id]!.engine.region.sendFigures() }
        try await settle()
        outcome.figuresTook = ContinuousClock.now - started
        let picture = try await nodes[shown]!.engine.region.picture()
        outcome.region = picture
        let red = picture.authorities.filter { $0.standards.contains { $0.rating == .red } }.count
        log(
            "every node signed its figures to the coordinator, \(shown): \(picture.sources.count) signed messages held after \(outcome.figuresTook!.formatted(.units(allowed: [.milliseconds]))); \(red) authorities rated red on a standard; agencies: \(picture.agencies.map { "\($0.name) \($0.requests) requests" }.joined(separator: ", ")) (the regional page: /region)"
        )
        return outcome
    }

    func answer(_ request: Request, outcome: VerificationOutcome) async throws {
        _ = try await nodes[request.to]!.engine.commands.respond(
            caseID: request.caseID,
            ResponseDraft(
                outcome: outcome,
                findings: .init(
                    authoredByReferee: outcome != .refereeIneligible, refereeActualRole: "Service Manager",
                    placementDatesConfirmed: outcome == .verified, concerns: nil),
                responder: .init(name: "Service Manager \(request.to)", role: .serviceManager)))
    }

    /// Requests still awaiting an answer, by escalation level, across the region.
    func levels() async throws -> String {
        var counts: [Int: Int] = [:]
        for node in nodes.values {
            for record in try await node.store.read({
                try $0.cases(status: .awaitingResponse, side: .requester, limit: 10_000)
            }) {
                counts[record.escalationLevel, default: 0] += 1
            }
        }
        return
            "awaiting \(counts[0] ?? 0) not escalated, \(counts[1] ?? 0) at level 1, \(counts[2] ?? 0) at level 2, \(counts[3] ?? 0) ladder spent"
    }

    /// Moves the shared clock on and lets every node's scheduler act on what fell due.
    func advance(workingDays: Int) async throws {
        let calendar = nodes[order[0]]!.engine.policy.calendar
        clock.set(calendar.adding(workingDays: Double(workingDays), to: clock.now()))
        for _ in 0..<2 {
            for id in order { _ = try await nodes[id]!.scheduler.tick() }
            try await settle()
        }
    }

    /// Waits until no node has a message waiting to be delivered.
    func settle() async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            var pending = 0
            for node in nodes.values { pending += try await node.store.read { try $0.outboxCounts()[.pending] ?? 0 } }
            if pending == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RefGateError(.internalError, "the region did not settle within 120 s")
    }
}
