import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RefGateCore
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import RefGateTrust
import Synchronization
import Testing

@testable import RefGateNode

/// Several messages per exchange: each message of a batch is judged as if it came alone, a
/// backlog travels in batches and arrives once, and a peer without the batch endpoint is sent
/// messages one by one.
@Suite(.serialized, .timeLimit(.minutes(5))) struct BatchDeliveryTests {
    static func postBatch(_ region: TestRegion, body: Data, contentType: String = PeerBatch.mediaType) async throws
        -> PeerAPIRejectionTests.Posted
    {
        let client = try region.peerClient(as: TestRegion.manchester)
        let response = try await client.send(
            url: try region.peerURL(TestRegion.salford) + "/batch", body: body,
            headerFields: [.contentType: contentType])
        await client.shutdown()
        return .init(status: response.status.code, body: response.body, contentType: response.contentType)
    }

    /// A batch is first applied in one savepoint; the refusal of its second message (a known id
    /// with other bytes) rolls that back, and each message is applied again in its own.
    @Test(arguments: TestEngine.allCases) func eachMessageOfABatchIsReceiptedOrRefusedAsIfItCameAlone(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([b]) {
            let signer = try region.signer(TestRegion.manchester)
            let first = PeerAPIRejectionTests.request(region)
            let second = PeerAPIRejectionTests.request(region)
            // Signed by Manchester but claiming to be from Bolton.
            let impostor = PeerAPIRejectionTests.request(region, from: AuthorityID(rawValue: "E08000001")!)
            let messages = [
                try signer.sign(first).compact, try signer.sign(first).compact, try signer.sign(impostor).compact,
                String(repeating: "a", count: 70_000), try signer.sign(second).compact,
            ]
            let posted = try await Self.postBatch(
                region, body: try JSONEncoder().encode(PeerBatch(messages: messages)))
            #expect(posted.status == 200)
            #expect(posted.contentType == PeerBatch.mediaType)
            let answer = try JSONDecoder().decode(PeerBatchAnswer.self, from: posted.body)
            try #require(answer.results.count == 5)
            #expect(answer.results[0].receipt != nil)
            #expect(answer.results[1].problem?.code == "message-id-conflict", "same id, other bytes (a new signature)")
            #expect(answer.results[2].problem?.code == "sender-mismatch")
            #expect(answer.results[2].problem?.status == 403)
            #expect(answer.results[3].problem?.code == "message-too-large")
            #expect(answer.results[4].receipt != nil)
            // A resend of the exact bytes in a later batch: the original receipt.
            let again = try await Self.postBatch(
                region, body: try JSONEncoder().encode(PeerBatch(messages: [messages[0], messages[0]])))
            let repeated = try JSONDecoder().decode(PeerBatchAnswer.self, from: again.body)
            #expect(repeated.results.map(\.receipt) == [answer.results[0].receipt, answer.results[0].receipt])
            #expect(
                try await b.store.read { try $0.cases() }.map(\.id).sorted() == [first.caseId, second.caseId].sorted())
            for receipt in answer.results.compactMap(\.receipt) {
                let jws = try JWS(compact: receipt)
                guard case .receipt(let decoded) = try RefGateMessage.decode(payload: jws.payload) else {
                    Issue.record("not a receipt")
                    continue
                }
                #expect([first.id, second.id].contains(decoded.messageId))
                #expect(decoded.from == TestRegion.salford && decoded.to == TestRegion.manchester)
                let sent = decoded.messageId == first.id ? messages[0] : messages[4]
                #expect(decoded.messageDigest == (try JWS(compact: sent)).digest)
            }

            // The batch's own form fails the whole exchange, as problem documents.
            let wrongType = try await Self.postBatch(region, body: Data("{}".utf8), contentType: "application/jose")
            PeerAPIRejectionTests.expectProblem(wrongType, status: 415, code: .unsupportedMediaType)
            let notABatch = try await Self.postBatch(region, body: Data(#"{"messages": "x"}"#.utf8))
            PeerAPIRejectionTests.expectProblem(notABatch, status: 400, code: .invalidInput)
            let tooMany = try await Self.postBatch(
                region,
                body: try JSONEncoder().encode(
                    PeerBatch(messages: Array(repeating: messages[0], count: PeerBatch.maxMessages + 1))))
            PeerAPIRejectionTests.expectProblem(tooMany, status: 413, code: .messageTooLarge)
            let empty = try await Self.postBatch(region, body: try JSONEncoder().encode(PeerBatch(messages: [])))
            PeerAPIRejectionTests.expectProblem(empty, status: 413, code: .messageTooLarge)
            let huge = try await Self.postBatch(
                region,
                body: try JSONEncoder().encode(
                    PeerBatch(messages: Array(repeating: String(repeating: "a", count: 20_000), count: 60))))
            PeerAPIRejectionTests.expectProblem(huge, status: 413, code: .messageTooLarge)
        }
    }

    /// The same batch arriving at once on several connections: each of its messages is applied
    /// once (a batch takes its messages' intake locks together, before it reads what is held),
    /// and every sender gets the same receipts.
    @Test(arguments: TestEngine.allCases) func theSameBatchArrivingAtOnceOnSeveralConnectionsIsAppliedOnce(
        engine: TestEngine
    ) async throws {
        let region = try TestRegion(engine: engine)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([b]) {
            let signer = try region.signer(TestRegion.manchester)
            let requests = (0..<5).map { _ in PeerAPIRejectionTests.request(region) }
            let body = try JSONEncoder().encode(PeerBatch(messages: try requests.map { try signer.sign($0).compact }))
            let posted = try await withThrowingTaskGroup(of: PeerAPIRejectionTests.Posted.self) { group in
                for _ in 0..<6 { group.addTask { try await Self.postBatch(region, body: body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(posted.allSatisfy { $0.status == 200 })
            let answers = try posted.map { try JSONDecoder().decode(PeerBatchAnswer.self, from: $0.body) }
            #expect(answers.allSatisfy { $0.results.count == 5 && $0.results.allSatisfy { $0.receipt != nil } })
            #expect(Set(answers.map { $0.results.map(\.receipt) }).count == 1, "the same receipts for all")
            #expect(try await b.store.read { try $0.cases() }.count == 5)
            for request in requests {
                #expect(try await b.store.read { try $0.messages(caseID: request.caseId) }.count == 1)
            }
        }
    }

    /// A backlog to one peer goes in batches (counted by the receiver's metrics) and every
    /// message arrives once.
    @Test func aBacklogTravelsInBatchesAndArrivesOnce() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        var queued: [CaseView] = []
        // Queued before either node runs: the deliverer finds them all due at once.
        for _ in 0..<150 { queued.append(try await a.engine.commands.sendRequest(TestRegion.draft())) }
        let sent = queued
        try await withRunning([a, b]) {
            try await eventually("all delivered") {
                try await a.store.read { try $0.outboxCounts()[.delivered] ?? 0 } == 150
            }
            let received = try await b.store.read { try $0.cases() }
            #expect(Set(received.map(\.id)) == Set(sent.map(\.id)))
            #expect(
                try await b.store.read { reader in try sent.map { try reader.messages(caseID: $0.id).count } }
                    .allSatisfy { $0 == 1 })
            let metrics = String(
                decoding: try await MetricsTests.get(region, TestRegion.salford, "/metrics").body, as: UTF8.self)
            let batches = Self.counter(metrics, #"refgate_inbound_exchanges_total{endpoint="batch"}"#)
            let inBatches = Self.counter(metrics, #"refgate_inbound_messages_total{endpoint="batch"}"#)
            let alone = Self.counter(metrics, #"refgate_inbound_messages_total{endpoint="single"}"#)
            #expect(batches >= 3, "150 messages in batches of at most \(PeerBatch.maxMessages)\n\(metrics)")
            #expect(inBatches + alone == 150)
            #expect(inBatches >= 100)
        }
    }

    static func counter(_ metrics: String, _ series: String) -> Int {
        metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    /// Messages too large to share one batch are cut into batches within the peer's size
    /// limit, in order, so no batch is refused 413 and sent again one by one.
    @Test func messagesTooLargeForOneBatchAreSplitWithinThePeersLimit() async throws {
        let seen = Mutex((batchBodies: [Int](), single: 0))
        let router = Router()
        router.post("/peer/v1/messages/batch") { request, _ -> Response in
            let body = try await request.body.collect(upTo: PeerBatch.maxBytes)
            let batch = try JSONDecoder().decode(PeerBatch.self, from: body)
            seen.withLock { $0.batchBodies.append(body.readableBytes) }
            let answer = PeerBatchAnswer(results: batch.messages.map { .init(receipt: "r" + $0.prefix(4)) })
            return Response(
                status: .ok, headers: [.contentType: PeerBatch.mediaType],
                body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(answer))))
        }
        router.post("/peer/v1/messages") { request, _ -> Response in
            let body = try await request.body.collect(upTo: PeerBatch.maxBytes)
            seen.withLock { $0.single += 1 }
            return Response(
                status: .ok, headers: [.contentType: PeerAPI.joseMediaType],
                body: .init(byteBuffer: ByteBuffer(string: "r" + String(buffer: body).prefix(4))))
        }
        // Ten messages of 300 KB: three fit in 1 MiB, so batches of 3, 3 and 3, then one alone.
        let messages = (0..<10).map { String(format: "m%03d", $0) + String(repeating: "x", count: 300_000) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let http = try CurlHTTPClient(configuration: .init(tls: nil))
            let exchange = PeerExchange(client: http)
            let target = PeerExchange.Target(endpoint: "http://127.0.0.1:\(client.port!)", pinnedPublicKey: nil)
            let answers = await exchange.send(messages, to: target)
            let bodies = answers.map(Self.receipt)
            #expect(bodies == messages.map { "r" + $0.prefix(4) })
            await http.shutdown()
        }
        let batches = seen.withLock { $0.batchBodies }
        #expect(batches.count == 3 && batches.allSatisfy { $0 <= PeerBatch.maxBytes })
        #expect(seen.withLock { $0.single } == 1)
        #expect(PeerExchange.split(["a", "b"]) == [["a", "b"]])
        #expect(PeerExchange.split(["abc", "de", "f"], limit: 15 + 6 + 4) == [["abc"], ["de", "f"]])
        #expect(PeerExchange.split(["toolarge"], limit: 10) == [["toolarge"]])
    }

    /// A peer without the batch endpoint (an older refgate): the batch's 404 sends each message
    /// alone, and later batches go one by one straight away. A batch refused for its size
    /// (413) is sent message by message, and the next batch is tried again.
    @Test(arguments: [(HTTPResponse.Status.notFound, 1), (.contentTooLarge, 2)])
    func aBatchThePeerCannotTakeIsSentMessageByMessage(status: HTTPResponse.Status, batches: Int) async throws {
        let counts = Mutex((batch: 0, single: 0))
        let router = Router()
        router.post("/peer/v1/messages/batch") { _, _ -> Response in
            counts.withLock { $0.batch += 1 }
            return Response(status: status)
        }
        router.post("/peer/v1/messages") { request, _ -> Response in
            counts.withLock { $0.single += 1 }
            let body = try await request.body.collect(upTo: 1_000)
            return Response(
                status: .ok, headers: [.contentType: PeerAPI.joseMediaType],
                body: .init(byteBuffer: ByteBuffer(string: "receipt-for-" + String(buffer: body))))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let http = try CurlHTTPClient(configuration: .init(tls: nil))
            let exchange = PeerExchange(client: http)
            let target = PeerExchange.Target(endpoint: "http://127.0.0.1:\(client.port!)", pinnedPublicKey: nil)
            for round in 0..<2 {
                let answers = await exchange.send(["m1", "m2", "m3"], to: target)
                let bodies = answers.map(Self.receipt)
                #expect(bodies == ["receipt-for-m1", "receipt-for-m2", "receipt-for-m3"], "round \(round)")
            }
            await http.shutdown()
        }
        #expect(counts.withLock { $0.batch } == batches)
        #expect(counts.withLock { $0.single } == 6)
    }

    /// The receipt's text, or what the answer was instead.
    static func receipt(_ answer: PeerAnswer) -> String {
        guard case .receipt(let body) = answer else { return "not a receipt: \(answer)" }
        return String(decoding: body, as: UTF8.self)
    }
}
