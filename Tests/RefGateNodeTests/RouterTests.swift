import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RefGateCore
import RefGateStore
import RefGateTestSupport
import Testing

@testable import RefGateNode

/// The HTTP layers in-process (Hummingbird's router testing): routes, status codes and
/// problem documents without TLS or a listener. TLS itself is covered by the live tests.
@Suite(.timeLimit(.minutes(2))) struct RouterTests {
    /// An intake that answers as told, and records what it was given.
    struct ScriptedIntake: MessageIntake {
        let answer: @Sendable (String) throws -> AcceptedMessage

        func accept(compact: String, clientCertificateDER: [UInt8]?) async throws -> AcceptedMessage {
            // Over the testing channel there is no TLS, so never a client certificate.
            #expect(clientCertificateDER == nil)
            return try answer(compact)
        }

        func checkpoints(clientCertificateDER: [UInt8]?) async throws -> [String] {
            guard clientCertificateDER != nil else {
                throw RefGateError(.unknownClientCertificate, "no client certificate")
            }
            return []
        }

        func exchangeLog(since: Date, after: String?, clientCertificateDER: [UInt8]?) async throws -> ExchangeLog {
            guard clientCertificateDER != nil else {
                throw RefGateError(.unknownClientCertificate, "no client certificate")
            }
            return ExchangeLog(entries: [], complete: true)
        }

        func directory(clientCertificateDER: [UInt8]?) async throws -> String {
            throw RefGateError(.unknownClientCertificate, "no client certificate")
        }
    }

    static func problem(_ response: TestResponse) throws -> ProblemDetails {
        #expect(response.headers[.contentType] == ProblemDetails.mediaType)
        return try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
    }

    @Test func peerAPIRoutesRefusalsAndReceipts() async throws {
        let intake = ScriptedIntake { compact in
            guard compact == "a.b.c" else { throw RefGateError(.malformedMessage, "not a JWS") }
            return AcceptedMessage(receipt: "receipt.jws.text", duplicate: false)
        }
        let app = Application(router: PeerAPI(intake: intake, maxMessageBytes: 64).router())
        try await app.test(.router) { client in
            let jose: HTTPFields = [.contentType: PeerAPI.joseMediaType]
            do {
                let response = try await client.execute(
                    uri: "/peer/v1/messages", method: .post, headers: jose, body: .init(string: "a.b.c"))
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == PeerAPI.joseMediaType)
                #expect(String(buffer: response.body) == "receipt.jws.text")
            }
            do {
                let response = try await client.execute(
                    uri: "/peer/v1/messages", method: .post, headers: jose, body: .init(string: "x"))
                #expect(response.status == .badRequest)
                #expect(try Self.problem(response).type == "urn:refgate:problem:malformed-message")
            }
            do {
                let response = try await client.execute(
                    uri: "/peer/v1/messages", method: .post, headers: [.contentType: "application/json"],
                    body: .init(string: "a.b.c")
                )
                #expect(response.status == .unsupportedMediaType)
                #expect(try Self.problem(response).code == "unsupported-media-type")
            }
            do {
                let response = try await client.execute(
                    uri: "/peer/v1/messages", method: .post, headers: jose,
                    body: .init(string: String(repeating: "a", count: 65))
                )
                #expect(response.status == .contentTooLarge)
                #expect(try Self.problem(response).code == "message-too-large")
            }
            do {
                let response = try await client.execute(uri: "/peer/v1/other", method: .post, headers: jose)
                #expect(response.status == .notFound)
                #expect(try Self.problem(response).code == "not-found")
            }
        }
    }

    @Test func adminAPIRoutesOverARealEngine() async throws {
        let region = try TestRegion()
        let node = try await region.makeEngine(TestRegion.manchester)
        let admin = LocalAPI(
            engine: node.engine, token: "secret-token-for-tests",
            status: { throw RefGateError(.internalError, "not asked here") },
            installDirectory: { _ in throw RefGateError(.directoryInvalid, "not in this test") })
        let app = Application(router: admin.router())
        let auth: HTTPFields = [.authorization: "Bearer secret-token-for-tests", .contentType: "application/json"]
        try await app.test(.router) { client in
            do {
                let response = try await client.execute(uri: "/healthz", method: .get)
                #expect(response.status == .ok)
            }
            do {
                let response = try await client.execute(uri: "/api/v1/cases", method: .get)
                #expect(response.status == .unauthorized)
                #expect(try Self.problem(response).code == "unauthorized")
            }
            let draft = try MessageCoding.encoder().encode(TestRegion.draft())
            let created = try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: auth, body: ByteBuffer(bytes: draft))
            #expect(created.status == .created)
            let record = try MessageCoding.decoder().decode(CaseView.self, from: Data(buffer: created.body))
            #expect(record.status == .awaitingResponse && record.peer == TestRegion.salford)

            do {
                let response = try await client.execute(
                    uri: "/api/v1/cases?direction=sent", method: .get, headers: auth)
                let cases = try MessageCoding.decoder().decode(
                    Page<CaseSummary>.self, from: Data(buffer: response.body))
                #expect(cases.items.map(\.caseID) == [record.id] && cases.total == 1 && cases.nextOffset == nil)
            }
            do {
                let response = try await client.execute(
                    uri: "/api/v1/cases?direction=sideways", method: .get, headers: auth)
                #expect(response.status == .badRequest)
                #expect(try Self.problem(response).detail.contains("direction 'sideways'"))
            }
            do {
                let response = try await client.execute(
                    uri: "/api/v1/cases/\(record.id)", method: .get, headers: auth)
                let detail = try MessageCoding.decoder().decode(CaseDetail.self, from: Data(buffer: response.body))
                #expect(detail.request?.caseId == record.id)
            }
            do {
                let response = try await client.execute(uri: "/api/v1/cases/nope", method: .get, headers: auth)
                #expect(response.status == .notFound)
                #expect(try Self.problem(response).code == "unknown-case")
            }
            do {
                let response = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: auth, body: .init(string: #"{"to": 7}"#)
                )
                #expect(response.status == .badRequest)
                #expect(try Self.problem(response).detail.contains("field 'to'"))
            }
            do {
                let response = try await client.execute(uri: "/api/v1/status", method: .get, headers: auth)
                // A server fault: 500, and its detail stays in the log.
                #expect(response.status == .internalServerError)
                #expect(try Self.problem(response).code == "internal-error")
            }
        }
        #expect(try await node.store.read { try $0.cases() }.count == 1)
    }
}
