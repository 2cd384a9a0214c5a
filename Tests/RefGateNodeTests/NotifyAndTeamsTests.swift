import Foundation
import RefGateCore
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import Testing

@testable import RefGateNode

/// GOV.UK Notify and Microsoft Teams are outside this machine: these tests send, through the
/// node's real queue and real libcurl, to a local stand-in that implements their documented
/// contracts (`Tests/interop/notify_standin.py`: Notify's JWT checks, status codes and rate
/// limit; a Teams webhook's Adaptive Card message).
@Suite(.serialized, .timeLimit(.minutes(3))) struct NotifyAndTeamsTests {
    static let service = "26785a09-ab16-4eb0-8407-a37497a57506"
    static let secret = "3d844edf-8d35-48ac-975b-e847b4f122b0"
    static let emailTemplate = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    static let smsTemplate = "aa5a4e5a-0d44-4a16-8e1c-1f8b0c7d6e21"

    struct StandIn {
        let process: BackgroundProcess
        let url: String
        let folder: TemporaryFolder

        /// What it accepted, oldest first: (kind, JSON).
        func received() throws -> [(String, JSONValue)] {
            try FileManager.default.contentsOfDirectory(atPath: folder.file("out")).filter { $0.hasSuffix(".json") }
                .sorted().map { name in
                    let kind = String(name.split(separator: "-").last!.dropLast(5))
                    return (
                        kind,
                        try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: folder.file("out/\(name)"))))
                    )
                }
        }
    }

    static func standIn(rateLimitFirst: Int = 0) async throws -> StandIn {
        let folder = try TemporaryFolder("refgate-notify")
        let process = try BackgroundProcess([
            "python3", "\(ExternalTool.interopFolder)/notify_standin.py", "--port-file", folder.file("port"),
            "--out-dir", folder.file("out"), "--service-id", service, "--secret", secret, "--email-template",
            emailTemplate, "--sms-template", smsTemplate, "--rate-limit-first", "\(rateLimitFirst)",
        ])
        let port = try await process.waitForFile(folder.file("port"), timeout: .seconds(30))
        return StandIn(process: process, url: "http://127.0.0.1:\(port)", folder: folder)
    }

    /// Manchester and Salford, told through Notify (no SMTP) and a Teams channel.
    static func engines(_ region: TestRegion, standIn: StandIn, key: String? = nil, smsTemplate: String? = nil)
        async throws -> (NodeEngine, NodeEngine)
    {
        let network = PeerNetwork()
        var engines: [NodeEngine] = []
        for id in [TestRegion.manchester, TestRegion.salford] {
            var configuration = try region.configuration(id)
            let keyFile = standIn.folder.file("\(id).key")
            FileManager.default.createFile(
                atPath: keyFile, contents: Data((key ?? "refgate_live-\(service)-\(secret)").utf8),
                attributes: [.posixPermissions: 0o600])
            configuration.notifications = .init(
                notify: NotifySettings(
                    apiKeyFile: keyFile, baseURL: standIn.url, emailTemplateId: emailTemplate,
                    smsTemplateId: smsTemplate ?? Self.smsTemplate),
                teams: [.init(url: "\(standIn.url)/teams/\(id)", dashboardURL: "https://refgate.\(id).example/")],
                channelsByRole: ["service-manager": [.email, .sms]])
            configuration.people = .init(serviceManagers: [.init(name: "Mo Ahmed", email: "mo@\(id).example")])
            engines.append(try await region.makeEngine(configuration: configuration, network: network).0)
        }
        return (engines[0], engines[1])
    }

    @Test func alertsGoThroughNotifyByEachPersonsChannelsAndEscalationsToTeams() async throws {
        let standIn = try await Self.standIn(rateLimitFirst: 1)
        let region = try TestRegion()
        let (a, b) = try await Self.engines(region, standIn: standIn)
        let sam = try await b.engine.accounts.add(
            name: "Sam Okafor", email: "sam@salford.example", role: .responder, seniority: .serviceManager, by: nil)
        _ = try await b.engine.accounts.add(
            name: "Pat Lowe", email: "pat@salford.example", role: .responder, seniority: .serviceManager, by: nil)
        _ = try await b.engine.accounts.setChannels(
            user: sam.user.id, ChannelsInput(channels: [.sms], phone: "07700 900123"))
        await #expect(throws: RefGateError.self) {
            try await b.engine.accounts.setChannels(user: sam.user.id, ChannelsInput(channels: [.sms], phone: nil))
        }
        try await withRunning(engines: [a, b], scheduler: .manual) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .qualifiedSocialWorker))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            // Sam chose text messages only; Pat has the role's default (e-mail).
            let planned = try await b.store.read { try $0.notifications() }.filter { $0.event == "request-arrived" }
            #expect(
                Set(planned.map { "\($0.channel.rawValue) \($0.target)" }) == [
                    "notify-sms 07700900123", "notify-email pat@salford.example",
                ])
            // The first send meets Notify's rate limit (429): tried again after the backoff.
            try await eventually("both reach Notify", advancing: region.clock, step: 0.5) {
                try standIn.received().filter { $0.0 != "teams" }.count == 2
            }
            let received = try standIn.received()
            let email = try #require(received.first { $0.0 == "email" }?.1)
            #expect(email["email_address"] == .string("pat@salford.example"))
            #expect(email["template_id"] == .string(Self.emailTemplate))
            let reference = try #require(planned.first { $0.channel == .notifyEmail }).id
            #expect(
                email["reference"] == .string(reference), "the reference is the notification's id, no personal data")
            guard case .object(let personalisation)? = email["personalisation"] else {
                Issue.record("no personalisation")
                return
            }
            #expect(personalisation["subject"] == .string(planned.first { $0.channel == .notifyEmail }!.subject))
            let sms = try #require(received.first { $0.0 == "sms" }?.1)
            #expect(sms["phone_number"] == .string("07700900123") && sms["template_id"] == .string(Self.smsTemplate))
            try await eventually("both recorded as sent", advancing: region.clock, step: 0.5) {
                try await b.store.read { try $0.notifications() }.filter { $0.event == "request-arrived" }
                    .allSatisfy { $0.state == .delivered }
            }
            let attempts = try await b.store.read { try $0.notifications() }.filter { $0.event == "request-arrived" }
                .map(\.attempts).sorted()
            #expect(attempts == [1, 2], "one met the 429 and went through on its second attempt")

            // An escalation: an Adaptive Card to Manchester's Teams channel.
            _ = try await a.engine.commands.raiseEscalation(
                caseID: opened.id, reason: .seriousConcern,
                raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"), note: nil)
            try await eventually("the card reaches Teams", advancing: region.clock, step: 0.5) {
                try standIn.received().contains { $0.0 == "teams" }
            }
            let card = try #require(try standIn.received().first { $0.0 == "teams" }?.1)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            let text = String(decoding: try encoder.encode(card), as: UTF8.self)
            #expect(text.contains("AdaptiveCard") && text.contains("Respond by") && text.contains("Mo Ahmed"))
            #expect(text.contains("https://refgate.\(TestRegion.manchester).example/cases/\(opened.id)"))
        }
    }

    @Test func refusalsAreParkedForOperators() async throws {
        let standIn = try await Self.standIn()
        let region = try TestRegion()
        // A wrong secret (403 AuthError) and an unknown template (400): nothing a retry can fix.
        let wrongKey = "refgate_live-\(Self.service)-00000000-0000-4000-8000-000000000000"
        let (_, b) = try await Self.engines(region, standIn: standIn, key: wrongKey)
        _ = try await b.engine.accounts.add(
            name: "Pat Lowe", email: "pat@salford.example", role: .responder, seniority: .serviceManager, by: nil)
        let notification = NotificationRecord(
            caseID: nil, channel: .notifyEmail, target: "pat@salford.example", event: "test", subject: "S", body: "B",
            createdAt: region.clock.now())
        try await b.store.write { tx in try tx.enqueue(notification) }
        try await withRunning(engines: [b], scheduler: .manual) {
            try await eventually("parked", advancing: region.clock, step: 0.5) {
                try await b.store.read { try $0.notifications() }.first { $0.id == notification.id }?.state == .parked
            }
        }
        let parked = try #require(try await b.store.read { try $0.notifications() }.first { $0.id == notification.id })
        #expect(parked.lastError?.contains("403") == true && parked.attempts == 1)
        #expect(try standIn.received().isEmpty)
        #expect(throws: RefGateError.self) { try NotifyClient.parse(key: "not-a-key") }
    }
}
