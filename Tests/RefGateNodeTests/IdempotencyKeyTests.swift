import Foundation
import HTTPTypes
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import Testing

/// A caller that lost the node's answer sends the same request again with the same
/// `Idempotency-Key`: one case opens and one message goes to the peer, however often it is sent.
@Suite(.serialized, .timeLimit(.minutes(5))) struct IdempotencyKeyTests {
    static func post(
        _ region: TestRegion, _ draft: RequestDraft, key: String?
    ) async throws -> ClientResponse {
        let client = try CurlHTTPClient(configuration: .init(tls: nil))
        var fields: HTTPFields = [
            .contentType: "application/json",
            .authorization: "Bearer \(try region.adminToken(TestRegion.manchester))",
        ]
        if let key { fields[HTTPField.Name("Idempotency-Key")!] = key }
        let response = try await client.send(
            url: try region.adminURL(TestRegion.manchester) + "/requests",
            body: try MessageCoding.encoder().encode(draft), headerFields: fields)
        await client.shutdown()
        return response
    }

    static func caseID(_ response: ClientResponse) throws -> String {
        try MessageCoding.decoder().decode(CaseView.self, from: response.body).id
    }

    @Test func theSameRequestWithTheSameKeyOpensOneCase() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        try await withRunning([a]) {
            let draft = TestRegion.draft()
            let first = try await Self.post(region, draft, key: "8e03978e-40d5-43e8-bc93-6894a57f9324")
            #expect(first.status == 201)
            // Again, bare and as a structured-field string: the first call's case, unchanged.
            let again = try await Self.post(region, draft, key: "8e03978e-40d5-43e8-bc93-6894a57f9324")
            let quoted = try await Self.post(region, draft, key: #""8e03978e-40d5-43e8-bc93-6894a57f9324""#)
            #expect(again.status == 200 && quoted.status == 200)
            #expect(try Self.caseID(again) == Self.caseID(first) && Self.caseID(quoted) == Self.caseID(first))
            #expect(try await a.store.read { try $0.cases() }.count == 1)
            #expect(try await a.store.read { try $0.outboxCounts().values.reduce(0, +) } == 1)

            // Without a key, or with another, the same request is a new one.
            #expect(try await Self.post(region, draft, key: nil).status == 201)
            #expect(try await Self.post(region, draft, key: "another").status == 201)
            #expect(try await a.store.read { try $0.cases() }.count == 3)
        }
    }

    @Test func aKeyReusedForAnotherRequestOrMalformedIsRefusedAndChangesNothing() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        try await withRunning([a]) {
            let first = try await Self.post(region, TestRegion.draft(), key: "k-1")
            #expect(first.status == 201)
            var other = TestRegion.draft()
            other.candidate.name = "Someone Else"
            let reused = try await Self.post(region, other, key: "k-1")
            #expect(reused.status == 422)
            let problem = try AdminAPITests.problem(reused)
            #expect(problem.type == "urn:refgate:problem:idempotency-key-reused")
            #expect(problem.detail.contains(try Self.caseID(first)))
            for bad in ["has space", String(repeating: "x", count: 256), "caf\u{E9}", #""""#] {
                let refused = try await Self.post(region, TestRegion.draft(), key: bad)
                #expect(refused.status == 400, "key \(bad.debugDescription)")
                #expect(try AdminAPITests.problem(refused).detail.contains("Idempotency-Key"))
            }
            #expect(try await a.store.read { try $0.cases() }.count == 1)
        }
    }

    /// Calls racing with one key (a client's retry overtaking its first attempt): one opens the
    /// case, every other answers with it.
    @Test func concurrentCallsWithOneKeyOpenOneCase() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        try await withRunning([a]) {
            let draft = TestRegion.draft()
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let response = try await Self.post(region, draft, key: "race")
                        return (response.status.code, try Self.caseID(response))
                    }
                }
                return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == 201 }.count == 1)
            #expect(answers.filter { $0.0 == 200 }.count == 11)
            #expect(Set(answers.map(\.1)).count == 1)
            #expect(try await a.store.read { try $0.cases() }.count == 1)
        }
    }

    /// The engine call the API makes: a replay returns the case as it is now.
    @Test func theEngineReplaysTheCaseAsItIsNow() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let sent = try await a.engine.commands.sendRequest(TestRegion.draft(), idempotencyKey: "engine")
        let again = try await a.engine.commands.sendRequest(TestRegion.draft(), idempotencyKey: "engine")
        #expect(!sent.replayed && again.replayed)
        #expect(again.record == sent.record)
        await #expect(throws: RefGateError.self) {
            _ = try await a.engine.commands.sendRequest(
                TestRegion.draft(role: .qualifiedSocialWorker), idempotencyKey: "engine")
        }
    }
}
