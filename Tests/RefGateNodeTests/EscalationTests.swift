import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import Testing

/// The ladder between two authorities, on engines in process (peers through each other's
/// intake, e-mail in memory); the transport and SMTP keep their own real-process tests.
@Suite(.serialized, .timeLimit(.minutes(5))) struct EscalationTests {
    static let manchesterSM = "sm@manchester.example"
    static let manchesterHoS = "hos@manchester.example"
    static let salfordSMs = ["sam.okafor@salford.example", "lee.chan@salford.example"]
    static let salfordHoS = "dana.reid@salford.example"
    static let salfordOps = "ops@salford.example"
    static let manchesterOps = "ops@manchester.example"

    static func notifications(_ sink: MailSink, ca: String, from: String) -> NotificationSettings {
        .init(smtp: .init(host: "127.0.0.1", port: sink.port, security: .starttls, from: from, caCertificate: ca))
    }

    /// Two engines in process (peers through each other's intake) with the same people, and
    /// the e-mail both sent.
    static func engines(_ region: TestRegion) async throws -> (NodeEngine, NodeEngine, Mailboxes) {
        let network = PeerNetwork()
        var a = try region.configuration(TestRegion.manchester)
        var b = try region.configuration(TestRegion.salford)
        // SMTP settings make the planner e-mail people; the engines' mailers keep the mail.
        let smtp = SMTPSettings(host: "127.0.0.1", port: 1, security: .starttls, from: "refgate@example.org")
        a.notifications = .init(smtp: smtp)
        b.notifications = .init(smtp: smtp)
        a.people = .init(
            serviceManagers: [.init(name: "Mo Ahmed", email: manchesterSM)],
            headsOfService: [.init(name: "Ruth Bell", email: manchesterHoS)],
            operators: [.init(name: "Ops", email: manchesterOps)])
        b.people = .init(
            serviceManagers: salfordSMs.map { .init(name: $0, email: $0) },
            headsOfService: [.init(name: "Dana Reid", email: salfordHoS)],
            operators: [.init(name: "Ops", email: salfordOps)])
        let (engineA, mailA) = try await region.makeEngine(configuration: a, network: network)
        let (engineB, mailB) = try await region.makeEngine(configuration: b, network: network)
        return (engineA, engineB, Mailboxes(mailers: [mailA, mailB]))
    }

    /// The mail of several engines.
    struct Mailboxes: Sendable {
        let mailers: [MemoryMailer]
        func mails(to address: String) -> [MailMessage] { mailers.flatMap { $0.mails(to: address) } }
    }

    @Test(arguments: TestEngine.allCases) func anUnsatisfactoryAnswerEscalatesToServiceManagersAndANewAnswerResolvesIt(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let (a, b, sink) = try await Self.engines(region)
        try await withRunning(engines: [a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            var vague = TestRegion.verifiedBySeniorManager
            vague.outcome = .unableToVerify
            _ = try await b.engine.commands.respond(caseID: opened.id, vague)
            try await eventually("answer arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .unableToVerify
            }
            let raised = try await a.engine.commands.raiseEscalation(
                caseID: opened.id, reason: .unsatisfactoryResponse,
                raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"), note: "Records exist; please check again.")
            #expect(raised.level == 1 && raised.role == .serviceManager)
            // Due two working days after raising, in the policy's calendar.
            #expect(raised.dueAt == a.engine.policy.calendar.adding(workingDays: 2, to: raised.raisedAt))
            await #expect(throws: RefGateError.self) {
                try await a.engine.commands.raiseEscalation(
                    caseID: opened.id, reason: .unsatisfactoryResponse, raisedBy: Person(name: "Mo", role: "SM"),
                    note: nil)
            }

            try await eventually("notice arrives and both service manager teams are e-mailed") {
                try await b.store.read { try $0.escalation(raised.id) } != nil
                    && (sink.mails(to: Self.salfordSMs[0]).count) == 1
                    && (sink.mails(to: Self.manchesterSM).count) == 1
            }
            let toSalford = try #require(sink.mails(to: Self.salfordSMs[0]).first)
            #expect(Set(toSalford.to.map(\.address)) == Set(Self.salfordSMs), "every holder of the role gets it")
            #expect(toSalford.subject.contains("Escalation from E08000003"))
            #expect(toSalford.body.contains("refgate escalations ack --escalation \(raised.id)"))
            #expect(toSalford.body.contains("Records exist; please check again."))
            #expect(sink.mails(to: Self.salfordHoS).isEmpty, "level 1 is for service managers only")
            try await eventually("the e-mail sent is in the audit log") {
                try await AuditTests.entries(b).contains { $0.action == .notificationSent && $0.case == opened.id }
            }

            let acknowledged = try await b.engine.commands.acknowledge(
                escalationID: raised.id, by: Person(name: "Sam Okafor", role: "Service Manager"), as: nil)
            #expect(acknowledged.acknowledgedBy?.name == "Sam Okafor")
            try await eventually("acknowledgement reaches Manchester") {
                try await a.store.read { try $0.escalation(raised.id) }?.acknowledgedBy?.name == "Sam Okafor"
            }
            // The notice and the acknowledgement pass the independent checks too.
            let stored = try await a.engine.queries.detail(caseID: opened.id).messages.map(\.message)
                .filter { $0.kind == .escalationNotice || $0.kind == .escalationAcknowledgement }
            #expect(stored.count == 2)
            let items = try stored.map { message in
                [
                    "jws": message.jws,
                    "certificate": try String(
                        contentsOfFile: region.identityFolder(message.from) + "/sign.pem", encoding: .utf8),
                ]
            }
            let check = try await ExternalTool.runOffPool(
                ["python3", "\(ExternalTool.interopFolder)/check_messages.py", ExternalTool.schemasFolder],
                input: try JSONSerialization.data(withJSONObject: items))
            #expect(check.status == 0, "\(check.combined)")

            _ = try await b.engine.commands.respond(caseID: opened.id, TestRegion.verifiedBySeniorManager)
            try await eventually("the new answer resolves and closes the escalation on both sides") {
                let left = try await a.store.read { try $0.escalation(raised.id) }
                let right = try await b.store.read { try $0.escalation(raised.id) }
                let status = try await a.store.read { try $0.case(opened.id) }?.status
                return left?.closedAt != nil && right?.closedAt != nil && status == .verified
            }
            try await eventually("those escalated to are told") {
                let salford = sink.mails(to: Self.salfordSMs[1]).contains { $0.subject.hasPrefix("Resolved") }
                let manchester = sink.mails(to: Self.manchesterSM).contains { $0.subject.hasPrefix("Resolved") }
                return salford && manchester
            }
            #expect(try await a.store.read { try $0.case(opened.id) }?.escalationLevel == 0)
        }
    }

    @Test(arguments: TestEngine.allCases) func anIneligibleRefereeOpensLevelOneAtOnce(engine: TestEngine) async throws {
        let region = try TestRegion(engine: engine)
        let (a, b, sink) = try await Self.engines(region)
        try await withRunning(engines: [a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .qualifiedSocialWorker))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            var ineligible = TestRegion.verifiedBySeniorManager
            ineligible.outcome = .refereeIneligible
            _ = try await b.engine.commands.respond(caseID: opened.id, ineligible)
            try await eventually("level 1 suitable-reference-required reaches Salford") {
                try await b.store.read { try $0.escalations(caseID: opened.id) }.first?.reason
                    == .suitableReferenceRequired
            }
            let escalation = try #require(try await a.store.read { try $0.escalations(caseID: opened.id) }.first)
            #expect(escalation.level == 1 && escalation.raisedBy.name == "refgate")
            try await eventually("Salford's service managers are e-mailed") {
                sink.mails(to: Self.salfordSMs[0]).contains { $0.body.contains("suitable-reference-required") }
            }
            // A suitable reference answers the escalated case.
            _ = try await b.engine.commands.respond(caseID: opened.id, TestRegion.verifiedBySeniorManager)
            try await eventually("resolved") { try await a.store.read { try $0.case(opened.id) }?.status == .verified }
        }
    }

    @Test(arguments: TestEngine.allCases) func aSeriousConcernGoesStraightToHeadsOfService(engine: TestEngine)
        async throws
    {
        let region = try TestRegion(engine: engine)
        let (a, b, sink) = try await Self.engines(region)
        try await withRunning(engines: [a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            let raised = try await a.engine.commands.raiseEscalation(
                caseID: opened.id, reason: .seriousConcern,
                raisedBy: Person(name: "Ruth Bell", role: "Head of Service"),
                note: "The reference appears to be falsified.")
            #expect(raised.level == 2 && raised.role == .headOfService)
            try await eventually("heads of service on both sides are e-mailed") {
                let salford = sink.mails(to: Self.salfordHoS).count
                let manchester = sink.mails(to: Self.manchesterHoS).count
                return salford == 1 && manchester == 1
            }
            #expect(sink.mails(to: Self.salfordSMs[0]).isEmpty)
            // Only the commissioning authority escalates, and people raise only their two reasons.
            await #expect(throws: RefGateError.self) {
                try await b.engine.commands.raiseEscalation(
                    caseID: opened.id, reason: .seriousConcern, raisedBy: Person(name: "X", role: "Y"), note: nil)
            }
            await #expect(throws: RefGateError.self) {
                try await a.engine.commands.raiseEscalation(
                    caseID: opened.id, reason: .responseOverdue, raisedBy: Person(name: "X", role: "Y"), note: nil)
            }
            // Manchester cannot acknowledge its own escalation.
            await #expect(throws: RefGateError.self) {
                try await a.engine.commands.acknowledge(
                    escalationID: raised.id, by: Person(name: "X", role: "Y"), as: nil)
            }
        }
    }
}
