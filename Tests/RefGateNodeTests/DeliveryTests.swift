import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing

/// Delivery that loses nothing, between real nodes: outages, order, refusals, expiry, alerts.
/// The nodes share an injected clock, so "330 s later" or "an hour of failures" take no time.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DeliveryTests {
    static let ops = "ops@manchester.example"

    /// Manchester with its operators on e-mail through the sink.
    static func manchester(_ region: TestRegion, sink: MailSink, policy: PolicySettings? = nil) async throws -> Node {
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.notifications = EscalationTests.notifications(
            sink, ca: region.folder.file("ca/ca.pem"), from: "refgate@manchester.example")
        configuration.people = .init(operators: [.init(name: "Ops", email: ops)])
        if let policy { configuration.policy = policy }
        return try await region.makeNode(configuration: configuration)
    }

    /// The first report: Salford down for 330 s (more than the 5 min skew) while
    /// Manchester sends. The retry carries the original bytes and is accepted.
    @Test(arguments: TestEngine.allCases) func aRequestSentDuringAnOutageLongerThanTheSkewArrivesWhenThePeerReturns(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("a failed attempt") {
                (try await a.engine.queries.deliveryHealth().first?.consecutiveFailures ?? 0) >= 1
            }
            try await withRunning([b]) {
                // Salford is back 330 s later. The clock moves on while we wait: a probe that
                // raced Salford's start and failed is retried once its (injected) time comes.
                region.clock.advance(by: 330)
                try await eventually("delivered after the outage", advancing: region.clock) {
                    try await a.outbox(opened.requestMessageID)?.state == .delivered
                }
                let received = try #require(try await b.store.read { try $0.message(opened.requestMessageID) })
                let sent = try #require(try await a.store.read { try $0.message(opened.requestMessageID) })
                #expect(received.jws == sent.jws, "the original bytes, never re-signed")
                #expect(try await b.store.read { try $0.case(opened.id) }?.respondBy == opened.respondBy)
                let health = try #require(try await a.engine.queries.deliveryHealth().first)
                #expect(health.consecutiveFailures == 0 && health.backlog == 0 && health.lastSuccessAt != nil)
            }
        }
    }

    /// A level 2 notice raised while the request still waits never overtakes it (no
    /// `unknown-case` refusal), and the backlog drains in order once the peer is back.
    @Test(arguments: TestEngine.allCases) func aNoticeNeverOvertakesItsOwnRequest(engine: TestEngine) async throws {
        let region = try TestRegion(engine: engine)
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            let escalation = try await a.engine.commands.raiseEscalation(
                caseID: opened.id, reason: .seriousConcern, raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"),
                note: "The referee's team did not exist on those dates.")
            let other = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("the peer is seen failing", advancing: region.clock) {
                (try await a.engine.queries.deliveryHealth().first?.consecutiveFailures ?? 0) >= 2
            }
            #expect(try await a.outbox(escalation.noticeMessageID)?.attempts == 0, "held behind its request")
            try await withRunning([b]) {
                try await eventually("all three delivered", advancing: region.clock) {
                    var states: [OutboxEntry.State?] = []
                    for id in [opened.requestMessageID, escalation.noticeMessageID, other.requestMessageID] {
                        states.append(try await a.outbox(id)?.state)
                    }
                    return states.allSatisfy { $0 == .delivered }
                }
                let notice = try #require(try await a.outbox(escalation.noticeMessageID))
                #expect(notice.attempts == 1 && notice.lastProblem == nil, "no refusal on the way")
                let arrived = try await b.store.read { try $0.messages(caseID: opened.id) }.map(\.id)
                #expect(arrived == [opened.requestMessageID, escalation.noticeMessageID])
            }
        }
    }

    /// A refusal that cannot heal (Salford's size cap is below the message) parks the message,
    /// tells the operators with the peer's problem, and holds the case's later messages; once
    /// the cause is fixed, `retryParked` sends it and the rest follows.
    @Test(arguments: TestEngine.allCases) func aRefusalThatCannotHealIsParkedShownAndSentAgainByHand(engine: TestEngine)
        async throws
    {
        let region = try TestRegion(engine: engine)
        let sink = try await MailSink.start(in: region)
        defer { sink.process.stop() }
        let a = try await Self.manchester(region, sink: sink)
        var small = try region.configuration(TestRegion.salford)
        small.limits = .init(maxMessageBytes: 600)
        let strict = try await region.makeNode(configuration: small)
        let (opened, noticeID) = try await withRunning([a, strict]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("parked") { try await a.outbox(opened.requestMessageID)?.state == .parked }
            let escalation = try await a.engine.commands.raiseEscalation(
                caseID: opened.id, reason: .seriousConcern, raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"),
                note: nil)
            let problem = try #require(try await a.engine.queries.deliveryProblems().first)
            #expect(problem.entry.messageID == opened.requestMessageID && problem.kind == .verificationRequest)
            #expect(problem.entry.lastProblem?.contains("urn:refgate:problem:message-too-large") == true)
            #expect(problem.entry.lastError?.contains("413") == true)
            #expect(try await a.engine.queries.deliveryHealth().first?.parked == 1)
            try await eventually("operators are told") {
                try sink.mails(to: Self.ops).contains {
                    $0.subject.hasPrefix("Delivery parked") && $0.body.contains("refgate deliveries retry")
                }
            }
            try await Task.sleep(for: .milliseconds(300))  // a window in which the notice would go
            #expect(try await a.outbox(escalation.noticeMessageID)?.attempts == 0, "the case waits behind it")
            return (opened, escalation.noticeMessageID)
        }

        // Salford raises its cap; the operator sends the parked message again.
        let restarted = try await Self.manchester(region, sink: sink)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([restarted, b]) {
            let a = restarted
            await #expect(throws: RefGateError.self) { try await a.engine.commands.retryParked(messageID: noticeID) }
            #expect(try await a.engine.commands.retryParked(messageID: opened.requestMessageID) == 1)
            // A busy machine may fail the first attempt (a connect or a 30 s exchange timing out);
            // the retry then needs more than the default wait.
            try await eventually("delivered, then the notice", advancing: region.clock, timeout: .seconds(90)) {
                try await a.outbox(noticeID)?.state == .delivered
            }
            #expect(try await a.outbox(opened.requestMessageID)?.state == .delivered)
            #expect(try await a.engine.queries.deliveryProblems().isEmpty)
        }
    }

    /// Not receipted within its expiry: a recorded non-delivery, operators told, and the
    /// request's case is treated as unanswered (it escalates before its own response deadline).
    @Test(arguments: TestEngine.allCases) func aRequestNotReceiptedBeforeItsExpiryIsANonDeliveryAndTheCaseEscalates(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let sink = try await MailSink.start(in: region)
        defer { sink.process.stop() }
        // Answers are due in 20 working days; messages expire after 5.
        let a = try await Self.manchester(region, sink: sink, policy: PolicySettings(responseWorkingDays: 20))
        try await withRunning([a]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("a failed attempt") {
                (try await a.outbox(opened.requestMessageID)?.attempts ?? 0) >= 1
            }
            region.clock.advance(by: 14 * 86_400)
            try await eventually("expired") { try await a.outbox(opened.requestMessageID)?.state == .expired }
            #expect(region.clock.now() < opened.respondBy, "the response deadline itself has not passed")
            try await eventually("escalated as unanswered") {
                try await a.store.read { try $0.escalations(caseID: opened.id) }.first?.reason == .responseOverdue
            }
            try await eventually("operators are told") {
                try sink.mails(to: Self.ops).contains { $0.subject.hasPrefix("Non-delivery: verification-request") }
            }
            #expect(try await a.engine.queries.deliveryHealth().first?.expired == 1)
        }
    }

    /// An hour of failures makes one "peer unreachable" alert; the peer's return an all-clear.
    @Test(arguments: TestEngine.allCases) func anHourOfFailuresAlertsOperatorsOnceAndTheReturnGivesAnAllClear(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let sink = try await MailSink.start(in: region)
        defer { sink.process.stop() }
        let a = try await Self.manchester(region, sink: sink)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("a failed attempt") {
                (try await a.outbox(opened.requestMessageID)?.attempts ?? 0) >= 1
            }
            region.clock.advance(by: 3_601)
            try await eventually("operators are alerted") {
                try sink.mails(to: Self.ops).contains { $0.subject.hasPrefix("Peer unreachable: E08000006") }
            }
            region.clock.advance(by: 60)
            try await Task.sleep(for: .milliseconds(500))  // more failed probes: no second alert
            try await withRunning([b]) {
                try await eventually("delivered and all clear", advancing: region.clock) {
                    let delivered = try await a.outbox(opened.requestMessageID)?.state == .delivered
                    let clear = try sink.mails(to: Self.ops).contains { $0.subject.hasPrefix("All clear: E08000006") }
                    return delivered && clear
                }
            }
            #expect(try sink.mails(to: Self.ops).filter { $0.subject.hasPrefix("Peer unreachable") }.count == 1)
        }
    }

    /// A refusal that should heal but keeps coming (`unknown-case` for a case the peer never
    /// had) is retried, listed as a problem, and told to operators once at the tenth attempt.
    @Test(arguments: TestEngine.allCases) func aMessageRefusedAgainAndAgainIsToldToOperatorsOnce(engine: TestEngine)
        async throws
    {
        let region = try TestRegion(engine: engine)
        let sink = try await MailSink.start(in: region)
        defer { sink.process.stop() }
        let a = try await Self.manchester(region, sink: sink)
        let b = try await region.makeNode(TestRegion.salford)
        let now = region.clock.now()
        let notice = EscalationNotice(
            id: UUID().uuidString.lowercased(), caseId: UUID().uuidString.lowercased(), from: TestRegion.manchester,
            to: TestRegion.salford, sentAt: now, escalationId: UUID().uuidString.lowercased(), level: 2,
            reason: .seriousConcern, roleAddressed: .headOfService,
            raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"), respondBy: now.addingTimeInterval(86_400),
            note: nil)
        let jws = try region.signer(TestRegion.manchester).sign(notice)
        try await a.store.write { tx in
            try tx.insert(
                MessageRecord(
                    id: notice.id, caseID: nil, direction: .outgoing, kind: .escalationNotice,
                    from: TestRegion.manchester, to: TestRegion.salford, sentAt: now, recordedAt: now,
                    jws: jws.compact, digest: jws.digest))
            try tx.enqueue(
                messageID: notice.id, peer: TestRegion.salford, caseID: nil, notBefore: now,
                expiresAt: now.addingTimeInterval(30 * 86_400))
        }
        try await withRunning([a, b]) {
            try await eventually("operators are told", advancing: region.clock) {
                try sink.mails(to: Self.ops).contains {
                    $0.subject.hasPrefix("Delivery failing repeatedly: escalation-notice")
                        && $0.body.contains("unknown-case")
                }
            }
            let entry = try #require(try await a.outbox(notice.id))
            #expect(entry.state == .pending && entry.attempts >= 10)
            #expect(entry.lastProblem?.contains("urn:refgate:problem:unknown-case") == true)
            #expect(try await a.engine.queries.deliveryProblems().map(\.entry.messageID) == [notice.id])
            #expect(
                try await a.engine.queries.deliveryHealth().first?.consecutiveFailures == 0, "the peer itself answers")
            try await eventually("more attempts", advancing: region.clock) {
                (try await a.outbox(notice.id)?.attempts ?? 0) >= 14
            }
            #expect(
                try sink.mails(to: Self.ops).filter { $0.subject.hasPrefix("Delivery failing repeatedly") }.count == 1)
        }
    }

    /// The same message arriving at once on several connections is applied once, and every
    /// sender gets the same signed receipt.
    @Test(arguments: TestEngine.allCases) func theSameMessageArrivingAtOnceOnSeveralConnectionsIsAppliedOnce(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([b]) {
            let request = PeerAPIRejectionTests.request(region)
            let jws = try region.signer(TestRegion.manchester).sign(request)
            let posted = try await withThrowingTaskGroup(of: PeerAPIRejectionTests.Posted.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await PeerAPIRejectionTests.post(region, body: Data(jws.compact.utf8)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(posted.allSatisfy { $0.status == 200 })
            #expect(Set(posted.map(\.body)).count == 1, "one receipt for all")
            #expect(try await b.store.read { try $0.messages(caseID: request.caseId) }.count == 1)
            #expect(try await b.store.read { try $0.cases() }.count == 1)
        }
    }

    /// Notices and acknowledgements are schema-checked like requests: an over-long note is
    /// refused before anything commits, so nothing goes out that the peer would refuse.
    @Test(arguments: TestEngine.allCases) func anOverLongEscalationNoteIsRefusedBeforeAnythingCommits(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let a = try await region.makeNode(TestRegion.manchester)
        try await withRunning([a]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            let error = await #expect(throws: RefGateError.self) {
                try await a.engine.commands.raiseEscalation(
                    caseID: opened.id, reason: .seriousConcern, raisedBy: Person(name: "Mo", role: "SM"),
                    note: String(repeating: "x", count: 4_001))
            }
            #expect(
                error?.code == .invalidInput && error?.detail.contains("/note") == true, "\(String(describing: error))")
            #expect(try await a.store.read { try $0.escalations(caseID: opened.id) }.isEmpty)
            #expect(try await a.store.read { try $0.messages(caseID: opened.id) }.count == 1)
            #expect(try await a.store.read { try $0.case(opened.id) }?.escalationLevel == 0)
        }
    }
}
