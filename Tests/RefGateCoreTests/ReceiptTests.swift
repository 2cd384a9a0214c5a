import Foundation
import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct ReceiptTests {
    @Test func theDirectPayloadIsWhatTheMessageEncoderWrites() throws {
        for receivedAt in [1_795_000_000.0, 1_795_000_000.25, 1_795_000_000.007] {
            let receipt = Receipt(
                id: TimeOrderedID.make(), from: Fixtures.salford, to: Fixtures.manchester,
                messageId: TimeOrderedID.make(), messageDigest: String(repeating: "A_-9", count: 10) + "xyz",
                receivedAt: Date(timeIntervalSince1970: receivedAt))
            #expect(receipt.payload() == (try MessageCoding.encoder().encode(receipt)))
            try SchemaValidator.shared.validate(json: receipt.payload(), against: MessageKind.receipt.schemaName)
        }
    }
}
