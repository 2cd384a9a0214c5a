import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import RefGateTrust
import Testing

/// Para 12 and the notification outbox, with a real SMTP server (aiosmtpd) and a real HTTPS
/// webhook receiver (Python) that checks the HMAC signature itself.
@Suite(.serialized, .timeLimit(.minutes(5))) struct NotificationTests {
    struct Mail: Decodable {
        var rcptTos: [String]
        var subject: String
        var body: String
    }

    struct Delivery: Decodable {
        struct Body: Decodable {
            var event: String
            var authority: String
            var caseId: String?
            var text: String
        }
        var verified: Bool
        var event: String?
        var body: Body
    }

    static func records<T: Decodable>(_ folder: String, as type: T.Type) throws -> [T] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
            .map { try decoder.decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\($0)"))) }
    }

    @Test func aConfirmedConcernRemindsBothAuthoritiesStaff() async throws {
        let region = try TestRegion()
        let ca = region.folder.file("ca/ca.pem")
        let serverIdentity = region.identityFolder(TestRegion.trafford)  // any certificate for 127.0.0.1

        let mailFolder = region.folder.file("mail")
        try FileManager.default.createDirectory(atPath: mailFolder, withIntermediateDirectories: true)
        let smtp = try BackgroundProcess([
            "python3", "\(ExternalTool.interopFolder)/smtp_sink.py", "--mode", "starttls", "--cert",
            "\(serverIdentity)/auth.pem", "--key", "\(serverIdentity)/auth.key", "--out-dir", mailFolder, "--port-file",
            region.folder.file("smtp.port"),
        ])
        defer { smtp.stop() }
        let smtpPort = Int(try await smtp.waitForFile(region.folder.file("smtp.port")))!

        let hookFolder = region.folder.file("hooks")
        try FileManager.default.createDirectory(atPath: hookFolder, withIntermediateDirectories: true)
        let secret = "a-webhook-secret-of-some-length"
        try PEMFile.writePrivateKey(secret, to: region.folder.file("webhook.secret"))
        let receiver = try BackgroundProcess([
            "python3", "\(ExternalTool.interopFolder)/tls_peer.py", "--cert", "\(serverIdentity)/auth.pem", "--key",
            "\(serverIdentity)/auth.key", "--port-file", region.folder.file("hook.port"), "--record-dir", hookFolder,
            "--webhook-secret", secret,
        ])
        defer { receiver.stop() }
        let hookPort = try await receiver.waitForFile(region.folder.file("hook.port"))

        let a = try await region.makeNode(
            TestRegion.manchester,
            notifications: .init(
                smtp: .init(
                    host: "127.0.0.1", port: smtpPort, security: .starttls, from: "refgate@manchester.example",
                    fromName: "Manchester refgate", caCertificate: ca),
                standardsReminderAddress: "practitioners@manchester.example"))
        let b = try await region.makeNode(
            TestRegion.salford,
            notifications: .init(webhooks: [
                .init(
                    url: "https://127.0.0.1:\(hookPort)/webhook", secretFile: region.folder.file("webhook.secret"),
                    caCertificate: ca)
            ]))
        try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .qualifiedSocialWorker))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            _ = try await b.engine.commands.respond(
                caseID: opened.id,
                ResponseDraft(
                    outcome: .refereeIneligible,
                    findings: .init(
                        authoredByReferee: true, refereeActualRole: "Social Worker (a colleague)",
                        placementDatesConfirmed: true, concerns: "The referee was a peer in the same team."),
                    responder: .init(name: "Sam Okafor", role: .serviceManager)))
            // Para 12 on both sides, once per concern's level: the answer (level 0), and the level 1
            // escalation the ineligible referee opens at once (para 10).
            func reminders() throws -> [Delivery] {
                try Self.records(hookFolder, as: Delivery.self).filter {
                    ($0.event ?? "").hasPrefix("standards-reminder")
                }
            }
            func staffMails() throws -> [Mail] {
                try Self.records(mailFolder, as: Mail.self).filter {
                    $0.rcptTos == ["practitioners@manchester.example"]
                }
            }
            try await eventually("reminders delivered on both sides") {
                let mails = try staffMails().count
                let hooks = try reminders().count
                return mails == 2 && hooks == 2
            }
            #expect(Set(try reminders().compactMap(\.event)) == ["standards-reminder", "standards-reminder-level-1"])
            // The requester named in the request is told of the answer, by its own alert.
            try await eventually("the requester's alert") {
                try Self.records(mailFolder, as: Mail.self).contains {
                    $0.rcptTos == ["jordan.ellis@manchester.example"] && $0.subject.hasPrefix("Answered")
                }
            }
            for mail in try staffMails() {
                #expect(mail.subject.contains("Reminder"))
                #expect(mail.body.contains("must not be provided by colleagues or first-line managers"))
                #expect(!mail.body.contains("Alex Morgan"), "an all-staff reminder names no candidate")
            }
            let hook = try #require(try reminders().first { $0.event == "standards-reminder" })
            #expect(hook.verified, "the receiver recomputed the HMAC-SHA256 signature")
            #expect(hook.event == "standards-reminder" && hook.body.authority == "E08000006")
            #expect(hook.body.caseId == opened.id)
            try await eventually("rows marked delivered") {
                let left = try await a.store.read { try $0.notifications(caseID: opened.id) }
                let right = try await b.store.read { try $0.notifications(caseID: opened.id) }
                let reminderRows = (left + right).filter { $0.event.hasPrefix("standards-reminder") }
                return reminderRows.count == 4 && reminderRows.allSatisfy { $0.state == .delivered }
            }
        }
    }

    @Test func aVerifiedReferenceSendsNoReminderAndBadSettingsAreRefused() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            _ = try await b.engine.commands.respond(caseID: opened.id, TestRegion.verifiedBySeniorManager)
            #expect(try await b.store.read { try $0.notifications() }.isEmpty)
        }
        var configuration = try region.configuration(TestRegion.salford)
        configuration.notifications = .init(webhooks: [.init(url: "http://ops.example/hook", secretFile: "x")])
        #expect(throws: RefGateError.self) { try configuration.check() }
        try PEMFile.writePrivateKey("short", to: region.folder.file("short.secret"))
        let error = await #expect(throws: RefGateError.self) {
            try await region.makeNode(
                TestRegion.salford,
                notifications: .init(webhooks: [
                    .init(url: "https://ops.example/hook", secretFile: region.folder.file("short.secret"))
                ]))
        }
        #expect(error?.detail.contains("at least 16 characters") == true)
        // A secret others may read is refused, saying how to fix it.
        try "a-webhook-secret-of-some-length".write(
            toFile: region.folder.file("loose.secret"), atomically: true, encoding: .utf8)
        _ = chmod(region.folder.file("loose.secret"), 0o644)
        let loose = await #expect(throws: RefGateError.self) {
            try await region.makeNode(
                TestRegion.salford,
                notifications: .init(webhooks: [
                    .init(url: "https://ops.example/hook", secretFile: region.folder.file("loose.secret"))
                ]))
        }
        #expect(loose?.detail.contains("chmod 600") == true, "\(String(describing: loose))")
    }
}
