import Foundation
import RefGateTestSupport

/// A real SMTP server (aiosmtpd, STARTTLS required) whose received messages tests can read.
struct MailSink {
    struct Mail: Decodable {
        var rcptTos: [String]
        var subject: String
        var body: String
    }

    let process: BackgroundProcess
    let port: Int
    let folder: String

    /// Starts the sink with a certificate for 127.0.0.1 from the region.
    static func start(in region: TestRegion) async throws -> MailSink {
        let folder = region.folder.file("mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let identity = region.identityFolder(TestRegion.trafford)
        let portFile = region.folder.file("smtp-\(UUID().uuidString).port")
        let process = try BackgroundProcess([
            "python3", "\(ExternalTool.interopFolder)/smtp_sink.py", "--mode", "starttls", "--cert",
            "\(identity)/auth.pem", "--key", "\(identity)/auth.key", "--out-dir", folder, "--port-file", portFile,
        ])
        return MailSink(process: process, port: Int(try await process.waitForFile(portFile))!, folder: folder)
    }

    var mails: [Mail] {
        get throws {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }
                .sorted().map {
                    try decoder.decode(Mail.self, from: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\($0)")))
                }
        }
    }

    /// Mail to one address.
    func mails(to address: String) throws -> [Mail] { try mails.filter { $0.rcptTos.contains(address) } }
}
