import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust

extension CaseEngine {
    /// The one way a message leaves this node: checked against its schema, signed, recorded
    /// byte-exact and queued for delivery, all in the caller's transaction, so bad input is
    /// refused here (with the schema's JSON Pointer) before anything commits, never by the peer
    /// after it did.
    @discardableResult
    func queueOutgoing<Message: Encodable>(
        _ message: Message, id: String, caseID: String?, kind: MessageKind, to peer: AuthorityID, now: Date,
        tx: StoreTransaction
    ) throws -> JWS {
        let jws = try signValidated(message)
        try tx.insert(
            MessageRecord(
                id: id, caseID: caseID, direction: .outgoing, kind: kind, from: authority, to: peer, sentAt: now,
                recordedAt: now, jws: jws.compact, digest: jws.digest))
        try tx.enqueue(
            messageID: id, peer: peer, caseID: caseID, notBefore: now, expiresAt: policy.messageExpiry(sentAt: now))
        return jws
    }

    /// Validates a payload against its schema, then signs it.
    func signValidated<Message: Encodable>(_ message: Message) throws -> JWS {
        let payload = try MessageCoding.encoder().encode(message)
        let value = try JSONValue.parse(payload)
        guard case .string(let type)? = value["type"], let kind = MessageKind(rawValue: type) else {
            throw RefGateError(.internalError, "an outgoing message has no known type")
        }
        do {
            try SchemaValidator.shared.validate(value, against: kind.schemaName)
        } catch let error as RefGateError {
            throw RefGateError(.invalidInput, error.detail)
        }
        return try signer.sign(message)
    }
}
