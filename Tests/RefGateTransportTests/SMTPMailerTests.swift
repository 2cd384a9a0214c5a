import Foundation
import RefGateTestSupport
import Testing

@testable import RefGateTransport

/// The libcurl SMTP mailer against a real SMTP server (Python aiosmtpd).
@Suite(.serialized, .timeLimit(.minutes(5))) struct SMTPMailerTests {
    struct Received: Decodable {
        var mailFrom: String
        var rcptTos: [String]
        var from: String
        var to: String
        var subject: String
        var date: String
        var messageId: String
        var charset: String?
        var body: String
        var tls: Bool
        var authenticated: Bool
    }

    struct Sink {
        let process: BackgroundProcess
        let port: Int
        let outbox: String

        func received() throws -> [Received] {
            try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasSuffix(".json") }.sorted().map {
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                return try decoder.decode(
                    Received.self, from: Data(contentsOf: URL(fileURLWithPath: "\(outbox)/\($0)")))
            }
        }
    }

    static func startSink(_ fixture: TransportFixture, mode: String, auth: String? = nil) async throws -> Sink {
        let outbox = fixture.folder.file("mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        let portFile = fixture.folder.file("smtp-port-\(UUID().uuidString)")
        var arguments = [
            "python3", "\(ExternalTool.interopFolder)/smtp_sink.py", "--mode", mode, "--out-dir", outbox, "--port-file",
            portFile, "--cert", fixture.folder.file("server/auth.pem"), "--key", fixture.folder.file("server/auth.key"),
        ]
        if let auth { arguments += ["--auth", auth] }
        let process = try BackgroundProcess(arguments)
        let port = try await process.waitForFile(portFile)
        return Sink(process: process, port: Int(port)!, outbox: outbox)
    }

    static func message() -> MailMessage {
        MailMessage(
            from: .init("refgate@manchester.example", name: "Manchester refgate"),
            to: [.init("sam.okafor@salford.example", name: "Sam Okafor"), .init("head.of.service@salford.example")],
            subject: "Escalation L1: reference for Zoë Brontë-Ó Súilleabháin is overdue — para 11",
            body: "Dear service manager,\n\nThe reference verification for Zoë is 2 working days overdue.\n€ ✓ 日本",
            date: MessageCoding.date("2026-11-23T10:15:30Z"))
    }

    @Test(arguments: ["plain", "starttls", "tls"])
    func deliversUTF8MailWithItsHeaders(mode: String) async throws {
        let fixture = try TransportFixture()
        let sink = try await Self.startSink(fixture, mode: mode)
        defer { sink.process.stop() }
        let mailer = try SMTPMailer(
            settings: .init(
                host: "127.0.0.1", port: sink.port, security: SMTPSettings.Security(rawValue: mode)!,
                from: "refgate@manchester.example", caCertificate: fixture.folder.file("ca/ca.pem")))
        let message = Self.message()
        try await mailer.send(message)
        await mailer.shutdown()
        let received = try #require(try sink.received().first)
        #expect(received.tls == (mode != "plain"))
        #expect(received.mailFrom == "refgate@manchester.example")
        #expect(received.rcptTos == ["sam.okafor@salford.example", "head.of.service@salford.example"])
        #expect(received.subject == message.subject)
        #expect(received.from == "Manchester refgate <refgate@manchester.example>")
        #expect(received.to == "Sam Okafor <sam.okafor@salford.example>, head.of.service@salford.example")
        #expect(received.date == "Mon, 23 Nov 2026 10:15:30 +0000")
        #expect(received.messageId == "<\(message.messageID)>")
        #expect(received.charset == "utf-8")
        #expect(
            received.body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines) == message.body
        )
    }

    @Test func authenticatesWithAPasswordFile() async throws {
        let fixture = try TransportFixture()
        let sink = try await Self.startSink(fixture, mode: "starttls", auth: "refgate:s3cret-pw")
        defer { sink.process.stop() }
        try "s3cret-pw\n".write(toFile: fixture.folder.file("smtp.password"), atomically: true, encoding: .utf8)
        var settings = SMTPSettings(
            host: "127.0.0.1", port: sink.port, security: .starttls, from: "refgate@manchester.example",
            username: "refgate", passwordFile: fixture.folder.file("smtp.password"),
            caCertificate: fixture.folder.file("ca/ca.pem"))
        let mailer = try SMTPMailer(settings: settings)
        try await mailer.send(Self.message())
        await mailer.shutdown()
        #expect(try sink.received().first?.authenticated == true)

        try "wrong\n".write(toFile: fixture.folder.file("smtp.password"), atomically: true, encoding: .utf8)
        settings.passwordFile = fixture.folder.file("smtp.password")
        let denied = try SMTPMailer(settings: settings)
        let error = await #expect(throws: TransportError.self) { try await denied.send(Self.message()) }
        #expect(error?.code == .loginDenied, "\(String(describing: error))")
        await denied.shutdown()
        #expect(throws: TransportError.self) {
            try SMTPMailer(settings: .init(host: "h", port: 25, security: .plain, from: "a@b.c", passwordFile: "/nope"))
        }
    }

    @Test func aRefusedRecipientIsPermanentAndAnAbsentServerIsNot() async throws {
        let fixture = try TransportFixture()
        let sink = try await Self.startSink(fixture, mode: "plain")
        defer { sink.process.stop() }
        let mailer = try SMTPMailer(
            settings: .init(host: "127.0.0.1", port: sink.port, security: .plain, from: "refgate@manchester.example"))
        var message = Self.message()
        message.to = [.init("reject-me@salford.example")]
        let refused = await #expect(throws: TransportError.self) { try await mailer.send(message) }
        #expect(refused?.code == .rejected, "\(String(describing: refused))")
        await mailer.shutdown()

        let nowhere = try SMTPMailer(
            settings: .init(host: "127.0.0.1", port: 1, security: .plain, from: "refgate@manchester.example"))
        let down = await #expect(throws: TransportError.self) { try await nowhere.send(Self.message()) }
        #expect(down?.code == .connectRefused)
        await nowhere.shutdown()
    }

    /// A server that does not offer STARTTLS must not get the message in clear.
    @Test func starttlsIsRequiredNotOpportunistic() async throws {
        let fixture = try TransportFixture()
        let sink = try await Self.startSink(fixture, mode: "plain")
        defer { sink.process.stop() }
        let mailer = try SMTPMailer(
            settings: .init(
                host: "127.0.0.1", port: sink.port, security: .starttls, from: "refgate@manchester.example",
                caCertificate: fixture.folder.file("ca/ca.pem")))
        await #expect(throws: TransportError.self) { try await mailer.send(Self.message()) }
        await mailer.shutdown()
        #expect(try sink.received().isEmpty)
    }

    @Test func headerEncoding() {
        #expect(MailMessage.encodeWord("Plain subject") == "Plain subject")
        let encoded = MailMessage.encodeWord(String(repeating: "é", count: 60))
        #expect(encoded.split(separator: " ").allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") })
        #expect(
            MailMessage.rfc5322Date(MessageCoding.date("2024-02-29T23:59:59Z")) == "Thu, 29 Feb 2024 23:59:59 +0000")
    }
}

enum MessageCoding {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
}
