import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing

/// Messages are decoded from the value the schema check parsed (`JSONValueDecoder`), not by
/// `JSONDecoder` over the bytes again: every kind of message two real nodes exchange decodes
/// to the same value both ways.
@Suite(.timeLimit(.minutes(3))) struct MessageDecodingTests {
    static func decodedByJSONDecoder(_ payload: Data, kind: MessageKind) throws -> RefGateMessage {
        let decoder = MessageCoding.decoder()
        return switch kind {
        case .verificationRequest: .request(try decoder.decode(VerificationRequest.self, from: payload))
        case .verificationResponse: .response(try decoder.decode(VerificationResponse.self, from: payload))
        case .receipt: .receipt(try decoder.decode(Receipt.self, from: payload))
        case .escalationNotice: .escalationNotice(try decoder.decode(EscalationNotice.self, from: payload))
        case .escalationAcknowledgement:
            .escalationAcknowledgement(try decoder.decode(EscalationAcknowledgement.self, from: payload))
        case .checkpoint: .checkpoint(try decoder.decode(Checkpoint.self, from: payload))
        case .regionalFigures: .regionalFigures(try decoder.decode(RegionalFigures.self, from: payload))
        }
    }

    @Test func everyKindExchangedDecodesAsJSONDecoderWould() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        let signed = try await withRunning([a, b]) { () -> [String] in
            let opened = try await AuditTests.escalatedCase(a, b)
            #expect(try await a.engine.audit.tick() == 1)
            // Salford's figures to Manchester, the region's coordinator.
            #expect(try await b.engine.region.sendFigures() == 2)
            try await eventually("figures held") {
                try await a.store.read { try $0.latestRegionalFigures() }.filter {
                    $0.figures.from == TestRegion.salford
                }
                .count == 2
            }
            try await eventually("witnessed") {
                try await a.store.read { try $0.checkpointsSent(to: TestRegion.salford) }.first?.state == .delivered
            }
            return try await a.store.read { reader in
                var signed: [String] = []
                for message in try reader.messages(caseID: opened.id) {
                    signed.append(message.jws)
                    if let receipt = try reader.receipt(messageID: message.id) { signed.append(receipt.jws) }
                }
                for checkpoint in try reader.checkpointsSent(to: TestRegion.salford) {
                    signed.append(checkpoint.jws)
                    if let receipt = try reader.receipt(messageID: checkpoint.messageID) { signed.append(receipt.jws) }
                }
                for figures in try reader.latestRegionalFigures() where figures.figures.from == TestRegion.salford {
                    signed.append(try #require(try reader.message(figures.messageID)).jws)
                }
                return signed
            }
        }
        var kinds: Set<MessageKind> = []
        for compact in signed {
            let payload = try JWS(compact: compact).payload
            let message = try RefGateMessage.decode(payload: payload)
            kinds.insert(message.kind)
            #expect(message == (try Self.decodedByJSONDecoder(payload, kind: message.kind)))
        }
        #expect(kinds == Set(MessageKind.allCases))
    }
}
