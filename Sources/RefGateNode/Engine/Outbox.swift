import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// A message validated, signed and ready to be recorded: made outside the transaction, so the
/// CPU work of many senders runs in parallel and the (group-committed) transaction only writes.
struct OutgoingMessage: Sendable {
    let record: MessageRecord
    let expiresAt: Date
}

/// The one way a message leaves this node: checked against its schema and signed (`prepare`),
/// then recorded byte-exact and queued for delivery in the caller's transaction (`queue`), so
/// bad input is refused here (with the schema's JSON Pointer) before anything commits, never by
/// the peer after it did. Every part of the engine that sends holds this value, and only it.
struct Outbox: Sendable {
    /// This node's authority (the sender of every message).
    let authority: AuthorityID
    let signer: MessageSigner
    /// Gives each message its expiry.
    let policy: Policy

    /// Checks a message against its schema and signs it.
    func prepare<Message: Encodable>(
        _ message: Message, id: String, caseID: String?, kind: MessageKind, to peer: AuthorityID, now: Date
    ) throws -> OutgoingMessage {
        let jws = try signValidated(message)
        return OutgoingMessage(
            record: MessageRecord(
                id: id, caseID: caseID, direction: .outgoing, kind: kind, from: authority, to: peer, sentAt: now,
                recordedAt: now, jws: jws.compact, digest: jws.digest),
            expiresAt: policy.messageExpiry(sentAt: now))
    }

    /// Records a prepared message and queues it, in the caller's transaction.
    func queue(_ outgoing: OutgoingMessage, tx: StoreTransaction) throws {
        let record = outgoing.record
        try tx.insert(record)
        try tx.enqueue(
            messageID: record.id, peer: record.to, caseID: record.caseID, notBefore: record.recordedAt,
            expiresAt: outgoing.expiresAt)
    }

    /// Prepares and queues in one step, for messages made inside a transaction (escalation
    /// notices and acknowledgements, whose content depends on what the transaction reads).
    func queue<Message: Encodable>(
        _ message: Message, id: String, caseID: String?, kind: MessageKind, to peer: AuthorityID, now: Date,
        tx: StoreTransaction
    ) throws {
        try queue(prepare(message, id: id, caseID: caseID, kind: kind, to: peer, now: now), tx: tx)
    }

    /// Validates a payload against its schema, then signs it.
    private func signValidated<Message: Encodable>(_ message: Message) throws -> JWS {
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
        return try signer.sign(payload: payload)
    }
}
