import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import SwiftASN1
import Testing
import X509

@testable import RefGateNode

/// A region always runs mixed versions. What two nodes of the previous release sent each other
/// was captured once (`scripts/capture-previous-release`, fixtures in `Fixtures/release-1.0.0`):
/// this build must accept and apply those messages and read their receipts, and what it sends
/// must read as that release's schemas say, receipts included. The fixture region's certificates
/// have their own expiry, so the node's clock is set to the moment of the capture.
@Suite(.serialized, .timeLimit(.minutes(3))) struct PreviousReleaseTests {
    struct Exchange: Decodable {
        struct Message: Decodable {
            var kind: String
            var from: String
            var to: String
            var jws: String
            var receipt: String
        }
        var release: String
        var capturedAt: String
        var messages: [Message]
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/release-1.0.0").path
    static let manchester = AuthorityID(rawValue: "E08000003")!
    static let salford = AuthorityID(rawValue: "E08000006")!

    static func exchange() throws -> Exchange {
        try JSONDecoder().decode(
            Exchange.self, from: Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/exchange.json")))
    }

    /// A node of this build for `id`, from the fixture region (copied, keys made owner-only).
    static func node(_ id: AuthorityID, in folder: TemporaryFolder, clock: ManualClock) async throws -> Node {
        let region = folder.file("region")
        try FileManager.default.copyItem(atPath: "\(fixtures)/region", toPath: region)
        for authority in [manchester, salford] {
            for key in ["auth.key", "sign.key"] { chmod("\(region)/\(authority.rawValue)/\(key)", 0o600) }
        }
        let mine = "\(region)/\(id.rawValue)"
        let configuration = NodeConfiguration(
            authority: id, name: "\(id.rawValue) (this build)", peerListener: .init(host: "127.0.0.1", port: 0),
            localListener: .init(host: "127.0.0.1", port: 0), adminTokenFile: folder.file("admin-token"),
            directory: "\(region)/directory.jws", caCertificate: "\(region)/ca/ca.pem",
            authCertificate: "\(mine)/auth.pem", authKey: "\(mine)/auth.key", signCertificate: "\(mine)/sign.pem",
            signKey: "\(mine)/sign.key", database: folder.file("db.sqlite"))
        var logger = Logger(label: "previous-release")
        logger.logLevel = .critical
        return try await Node.make(configuration: configuration, clock: clock, logger: logger)
    }

    static func authDER(_ id: AuthorityID) throws -> [UInt8] {
        let certificate = try CertificateFile.loadCertificate(
            "\(fixtures)/region/\(id.rawValue)/auth.pem", what: "auth")
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    @Test func messagesOfThePreviousReleaseAreAcceptedAndTheirReceiptsRead() async throws {
        let exchange = try Self.exchange()
        #expect(exchange.release == "1.0.0")
        let captured = try #require(MessageCoding.parseInstant(exchange.capturedAt))
        let folder = try TemporaryFolder()
        let salford = try await Self.node(Self.salford, in: folder, clock: ManualClock(captured))
        let fromManchester = exchange.messages.filter { $0.from == Self.manchester.rawValue }
        #expect(
            Set(fromManchester.map(\.kind)) == ["verification-request", "escalation-notice"],
            "the capture holds each kind Manchester sends")
        let der = try Self.authDER(Self.manchester)
        for message in fromManchester {
            let accepted = try await salford.engine.intake.accept(compact: message.jws, clientCertificateDER: der)
            #expect(!accepted.duplicate)
        }
        let owed = try await salford.store.read { try $0.cases(side: .responder) }
        #expect(owed.count == 3)
        let escalations = try await salford.engine.queries.escalations()
        #expect(Set(escalations.map(\.reason)) == [.unsatisfactoryResponse, .suitableReferenceRequired])

        // Every receipt a node of that release gave is one this build accepts.
        let trusted = await salford.directory.current
        for message in exchange.messages {
            let jws = try JWS(compact: message.receipt)
            #expect(try trusted.verifySignature(of: jws, at: captured).rawValue == message.to)
            guard case .receipt(let receipt) = try RefGateMessage.decode(payload: jws.payload) else {
                Issue.record("not a receipt: \(message.receipt.prefix(40))")
                continue
            }
            #expect(receipt.messageDigest == (try JWS(compact: message.jws)).digest)
        }
    }

    @Test func thisBuildsMessagesReadAsThePreviousReleasesSchemasSay() async throws {
        let exchange = try Self.exchange()
        let captured = try #require(MessageCoding.parseInstant(exchange.capturedAt))
        let folder = try TemporaryFolder()
        let salford = try await Self.node(Self.salford, in: folder, clock: ManualClock(captured))
        let der = try Self.authDER(Self.manchester)
        for message in exchange.messages where message.from == Self.manchester.rawValue {
            _ = try await salford.engine.intake.accept(compact: message.jws, clientCertificateDER: der)
        }
        // This build answers a case and acknowledges an escalation, as a node of that release would.
        let owed = try await salford.store.read { try $0.cases(side: .responder) }
        // With the para 5 fields of this release: a peer that never said its release gets none of them.
        _ = try await salford.engine.commands.respond(
            caseID: try #require(owed.first).id, RefereeTests.answer(.serviceManager, approved: true))
        let escalation = try #require(try await salford.engine.queries.escalations().first)
        _ = try await salford.engine.commands.acknowledge(
            escalationID: escalation.id, by: Person(name: "Sam Okafor", role: "Service Manager"), as: nil)
        let signPEM = try String(contentsOfFile: "\(Self.fixtures)/region/E08000006/sign.pem", encoding: .utf8)
        let items = try await salford.store.read { reader -> [[String: String]] in
            var items: [[String: String]] = []
            for message in try reader.cases(side: .responder).flatMap({ try reader.messages(caseID: $0.id) }) {
                if message.direction == .outgoing {
                    items.append(["jws": message.jws, "certificate": signPEM])
                } else if let receipt = try reader.receipt(messageID: message.id) {
                    items.append(["jws": receipt.jws, "certificate": signPEM])
                }
            }
            return items
        }
        #expect(items.count >= 6, "two new messages and the receipts for what arrived")
        let result = try await ExternalTool.runOffPool(
            ["python3", "\(ExternalTool.interopFolder)/check_messages.py", "\(Self.fixtures)/schemas"],
            input: try JSONSerialization.data(withJSONObject: items))
        #expect(result.status == 0, "\(result.combined)")
    }
}
