import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing

/// Two real nodes on 127.0.0.1: real TLS, real libcurl, real SQLite files.
@Suite(.serialized, .timeLimit(.minutes(5))) struct TwoNodeExchangeTests {
    /// A listener that cannot bind fails whoever waits for its port, at once, with the reason.
    @Test func aListenerThatCannotBindFailsItsWaiters() async throws {
        let region = try TestRegion()
        let first = try await region.makeNode(TestRegion.manchester)
        let second = try await region.makeNode(TestRegion.manchester)
        try await withRunning([first]) {
            let started = ContinuousClock.now
            let error = await #expect(throws: RefGateError.self) {
                try await withRunning([second]) { () }
            }
            #expect(error?.code == .listenerFailed)
            #expect(error?.detail.contains("already in use") == true, "\(String(describing: error))")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func requestReceiptResponseReceiptAndBothStoresAgree() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            #expect(opened.status == .awaitingResponse && opened.side == .requester)
            try await eventually("request receipted") {
                try await a.outbox(opened.requestMessageID)?.state == .delivered
            }
            let owed = try #require(try await b.store.read { try $0.case(opened.id) })
            #expect(owed.side == .responder && owed.status == .awaitingResponse && owed.peer == TestRegion.manchester)

            let answered = try await b.engine.commands.respond(caseID: opened.id, TestRegion.verifiedBySeniorManager)
            #expect(answered.status == .verified)
            let responseID = try #require(answered.responseMessageID)
            try await eventually("response receipted") { try await b.outbox(responseID)?.state == .delivered }

            let left = try await a.engine.queries.detail(caseID: opened.id)
            let right = try await b.engine.queries.detail(caseID: opened.id)
            #expect(left.case.status == .verified && right.case.status == .verified)
            #expect(left.response == right.response && left.request == right.request)
            // The same bytes on both sides, each with its signed receipt.
            let leftBytes = Dictionary(uniqueKeysWithValues: left.messages.map { ($0.message.id, $0.message.jws) })
            let rightBytes = Dictionary(uniqueKeysWithValues: right.messages.map { ($0.message.id, $0.message.jws) })
            #expect(leftBytes == rightBytes && leftBytes.count == 2)
            #expect(left.messages.allSatisfy { $0.receipt != nil } && right.messages.allSatisfy { $0.receipt != nil })

            // The request's receipt held by A is the one B issued, signed by B, over A's exact bytes.
            let requestEntry = try #require(left.messages.first { $0.message.kind == .verificationRequest })
            let issued = try #require(right.messages.first { $0.message.id == requestEntry.message.id }?.receipt)
            #expect(requestEntry.receipt?.jws == issued.jws)
            let directory = await a.directory.current
            let receiptJWS = try JWS(compact: issued.jws)
            #expect(try directory.verifySignature(of: receiptJWS, at: region.clock.now()) == TestRegion.salford)
            guard case .receipt(let receipt) = try RefGateMessage.decode(payload: receiptJWS.payload) else {
                Issue.record("not a receipt")
                return
            }
            #expect(receipt.messageDigest == requestEntry.message.digest)
            #expect(receipt.messageId == requestEntry.message.id)
        }
    }

    @Test func aRestartedNodeStillHoldsEverything() async throws {
        let region = try TestRegion()
        let caseID = try await {
            let a = try await region.makeNode(TestRegion.manchester)
            let b = try await region.makeNode(TestRegion.salford)
            return try await withRunning([a, b]) {
                let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
                try await eventually("request receipted") {
                    try await a.outbox(opened.requestMessageID)?.state == .delivered
                }
                return opened.id
            }
        }()
        // Both processes' state is gone; only the SQLite files remain.
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            let owed = try #require(try await b.store.read { try $0.case(caseID) })
            #expect(owed.status == .awaitingResponse)
            let answered = try await b.engine.commands.respond(caseID: caseID, TestRegion.verifiedBySeniorManager)
            try await eventually("response arrives") {
                try await a.store.read { try $0.case(caseID) }?.status == .verified
            }
            let detail = try await a.engine.queries.detail(caseID: caseID)
            #expect(detail.messages.count == 2 && detail.messages.allSatisfy { $0.receipt != nil })
            #expect(answered.responseMessageID == detail.case.responseMessageID)
        }
    }

    @Test func messagesWaitInTheOutboxUntilThePeerIsUp() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let opened = try await withRunning([a]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("a few failed attempts") {
                // Retries fall due in the node's (injected) time.
                region.clock.advance(by: 1)
                return (try await a.outbox(opened.requestMessageID)?.attempts ?? 0) >= 2
            }
            let entry = try #require(try await a.outbox(opened.requestMessageID))
            #expect(entry.state == .pending)
            #expect(entry.lastError?.contains("connect-refused") == true, "\(entry.lastError ?? "")")
            return opened
        }
        let a2 = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a2, b]) {
            try await eventually("delivered once the peer is up") {
                region.clock.advance(by: 1)
                return try await a2.outbox(opened.requestMessageID)?.state == .delivered
            }
            #expect(try await b.store.read { try $0.case(opened.id) } != nil)
        }
    }

    /// Python's joserfc verifies what the nodes stored, with only the sender's sign certificate;
    /// Python's jsonschema validates every message the nodes produced against schemas/.
    @Test func independentToolsVerifyStoredMessages() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        let caseID = try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request receipted") {
                try await a.outbox(opened.requestMessageID)?.state == .delivered
            }
            let answered = try await b.engine.commands.respond(caseID: opened.id, TestRegion.verifiedBySeniorManager)
            try await eventually("response receipted") {
                try await b.outbox(answered.responseMessageID!)?.state == .delivered
            }
            return opened.id
        }
        let detail = try await a.engine.queries.detail(caseID: caseID)
        let signCertificates = [
            TestRegion.manchester: try String(
                contentsOfFile: region.identityFolder(TestRegion.manchester) + "/sign.pem", encoding: .utf8),
            TestRegion.salford: try String(
                contentsOfFile: region.identityFolder(TestRegion.salford) + "/sign.pem", encoding: .utf8),
        ]
        var items: [[String: String]] = []
        for entry in detail.messages {
            items.append(["jws": entry.message.jws, "certificate": signCertificates[entry.message.from]!])
            if let receipt = entry.receipt {
                // A receipt is signed by whoever received the message.
                items.append(["jws": receipt.jws, "certificate": signCertificates[entry.message.to]!])
            }
        }
        #expect(items.count == 4)
        let input = try JSONSerialization.data(withJSONObject: items)
        let result = try await ExternalTool.runOffPool(
            ["python3", "\(ExternalTool.interopFolder)/check_messages.py", ExternalTool.schemasFolder], input: input)
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.output.contains("4 messages: signatures valid (joserfc), payloads valid (jsonschema)"))
    }
}
