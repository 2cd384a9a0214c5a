import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// Peer messages in (DESIGN §4): checks a signed message from a peer, applies it and the
/// state change it causes with its signed receipt in one transaction.
public struct Intake: Sendable {
    let authority: AuthorityID
    let store: Store
    let directory: DirectoryHolder
    let signer: MessageSigner
    let clock: any NodeClock
    let clockSkew: TimeInterval
    let policy: Policy
    let planner: NotificationPlanner
    let escalator: Escalator
    let alerts: Alerts
    let logger: Logger
    /// Releases peers said they run, as last stored.
    let peerVersions = PeerVersions()

    /// Accepts a signed message from a peer (DESIGN §4), in this order: TLS client certificate
    /// is a directory auth certificate; JWS parses; `kid` is a current sign certificate and the
    /// signature verifies; payload matches its schema; `from` is the authority of both the TLS
    /// certificate and the signing key; `to` is this node; a known id returns its original
    /// receipt; `sentAt` is within the allowed skew; the case rules hold. Then the message, its
    /// state change and the signed receipt commit in one transaction.
    public func accept(compact: String, clientCertificateDER: [UInt8]?) async throws -> AcceptedMessage {
        try await write(check(compact, clientCertificateDER: clientCertificateDER, trusted: await directory.current))
    }

    /// Writes one checked message in a transaction of its own (no savepoint), then logs it.
    private func write(_ checked: CheckedMessage) async throws -> AcceptedMessage {
        let accepted = try await store.write { tx in try self.apply(checked, tx: tx) }
        after(checked, accepted)
        return accepted
    }

    /// Accepts several messages that came over one TLS connection, each exactly as `accept`
    /// would on its own: their checks run in parallel and their writes share one transaction.
    /// They are first applied together in one savepoint; if any is refused, that savepoint
    /// rolls back and each is applied again in a savepoint of its own, so one refusal rolls back
    /// only itself (a savepoint is two statements on PostgreSQL; refusals are rare). Results are
    /// in order.
    public func accept(batch: [String], clientCertificateDER: [UInt8]?) async -> [Result<AcceptedMessage, any Error>] {
        let trusted = await directory.current
        let checked = await batch.concurrentMap { compact in
            Result { try self.check(compact, clientCertificateDER: clientCertificateDER, trusted: trusted) }
        }
        // One message alone is written as `accept` writes it: without a savepoint of its own
        // (two statements fewer on PostgreSQL), a refusal rolling back its transaction.
        if checked.count == 1, case .success(let message) = checked[0] {
            do { return [.success(try await write(message))] } catch { return [.failure(error)] }
        }
        let applied: [Result<AcceptedMessage, any Error>?]
        do {
            applied = try await store.write { tx in
                let messages = checked.map { try? $0.get() }
                if let together = try? tx.savepoint({
                    let known = try Known(messages.compactMap { $0 }, tx: tx)
                    return try messages.map { try $0.map { try self.apply($0, tx: tx, known: known) } }
                }) {
                    return together.map { $0.map { .success($0) } }
                }
                return messages.map { message in
                    message.map { message in Result { try tx.savepoint { try self.apply(message, tx: tx) } } }
                }
            }
        } catch {
            // The commit itself failed: nothing of the batch was kept.
            return checked.map { result in result.flatMap { _ in .failure(error) } }
        }
        return zip(checked, applied).map { checked, applied in
            switch (checked, applied) {
            case (.failure(let refusal), _): return .failure(refusal)
            case (.success(let message), .some(let result)):
                if case .success(let accepted) = result { after(message, accepted) }
                return result
            case (.success, .none): return .failure(RefGateError(.internalError, "a checked message was not applied"))
            }
        }
    }

    /// A message checked before its transaction, with its receipt already signed.
    struct CheckedMessage: Sendable {
        var message: RefGateMessage
        var jws: JWS
        /// A checkpoint's tree head, checked against the directory.
        var witnessed: SignedTreeHead?
        var receipt: Receipt
        var signedReceipt: JWS
        var now: Date
    }

    /// Everything `accept` checks that needs no store: certificate, signature, schema, sender,
    /// recipient. The receipt is signed here too (and discarded if the message turns out to be
    /// a resend), so the writer only writes.
    func check(_ compact: String, clientCertificateDER: [UInt8]?, trusted: TrustedDirectory) throws
        -> CheckedMessage
    {
        let now = clock.now()
        let tlsAuthority = try Self.client(clientCertificateDER, trusted: trusted, now: now)
        let jws = try JWS(compact: compact)
        guard jws.header.typ == JWSHeader.messageType else {
            throw RefGateError(.malformedMessage, "JWS typ must be \(JWSHeader.messageType), not \(jws.header.typ)")
        }
        let signerAuthority = try trusted.verifySignature(of: jws, at: now)
        let message = try RefGateMessage.decode(payload: jws.payload)
        guard message.from == tlsAuthority, message.from == signerAuthority else {
            throw RefGateError(
                .senderMismatch,
                "from is \(message.from), but the TLS client is \(tlsAuthority) and the signer is \(signerAuthority)")
        }
        guard message.to == authority else {
            throw RefGateError(.wrongRecipient, "the message is addressed to \(message.to); this node is \(authority)")
        }
        if case .receipt = message {
            throw RefGateError(.invalidInput, "receipts travel in HTTP responses, not as messages")
        }
        // Figures go only to the coordinator the directory names (they reach nobody else).
        if case .regionalFigures = message, trusted.directory.coordinator != authority {
            throw RefGateError(
                .notCoordinator,
                "\(authority) is not the region's coordinator in directory version \(trusted.directory.version); send figures to \(trusted.directory.coordinator?.rawValue ?? "no one: the directory names no coordinator")"
            )
        }
        // A checkpoint's tree head is checked against the directory before the transaction.
        let witnessed: SignedTreeHead? =
            if case .checkpoint(let checkpoint) = message {
                try Self.checkTreeHead(checkpoint, trusted: trusted, now: now)
            } else { nil }
        let receipt = Receipt(
            id: TimeOrderedID.make(), from: authority, to: message.from, messageId: message.id,
            messageDigest: jws.digest, receivedAt: now)
        return CheckedMessage(
            message: message, jws: jws, witnessed: witnessed, receipt: receipt,
            signedReceipt: try signer.sign(payload: receipt.payload()),
            now: now)
    }

    /// What the messages of a batch find held before any of them is applied, read together:
    /// their intake locks taken, the messages already held under their ids, and which of the
    /// requests' cases exist. It holds only while nothing of the batch is applied in between:
    /// two messages of one batch with the same id or case then both find it absent, the
    /// second's insert is refused by its key, and the batch runs again message by message.
    struct Known {
        /// Messages held under the batch's ids.
        let messages: [String: MessageRecord]
        /// The requests' cases that exist.
        let cases: Set<String>
        /// Who may be told a request arrived, if the batch holds one (no peer message changes it).
        let listening: [UserRecord]?

        init(_ batch: [CheckedMessage], tx: StoreTransaction) throws {
            let ids = batch.map(\.message.id)
            try tx.lockIntake(of: ids)
            messages = try tx.reader.messages(ids: ids)
            let requests = batch.compactMap { checked in
                if case .request(let request) = checked.message { request.caseId } else { nil }
            }
            cases = try tx.reader.caseIDs(among: requests)
            listening =
                requests.isEmpty ? nil : try tx.reader.liveUsers(notMuting: AlertEvent.requestArrived.rawValue)
        }
    }

    /// Applies a checked message, its state change and its receipt, inside the transaction;
    /// a known id returns its original receipt. `known` is what its batch read beforehand.
    func apply(_ checked: CheckedMessage, tx: StoreTransaction, known: Known? = nil) throws -> AcceptedMessage {
        let (message, jws, now) = (checked.message, checked.jws, checked.now)
        let held: MessageRecord?
        if let known {
            held = known.messages[message.id]
        } else {
            try tx.lockIntake(of: message.id)
            held = try tx.reader.message(message.id)
        }
        if let seen = held {
            guard seen.direction == .incoming, seen.digest == jws.digest,
                let receipt = try tx.reader.receipt(messageID: seen.id)
            else {
                throw RefGateError(
                    .messageIDConflict, "message id \(message.id) was already used for a different message")
            }
            return AcceptedMessage(receipt: receipt.jws, duplicate: true)
        }
        guard policy.acceptsSentAt(message.sentAt, now: now, skew: clockSkew) else {
            throw RefGateError(
                .clockSkew,
                "sentAt \(MessageCoding.formatInstant(message.sentAt)) is more than \(Int(clockSkew)) s ahead of this node's clock \(MessageCoding.formatInstant(now)) or older than the message's expiry"
            )
        }
        switch message {
        case .request(let request):
            try Self.applyIncoming(request, tx: tx, now: now, caseHeld: known.map { $0.cases.contains(request.caseId) })
            try alerts.requestArrived(request, tx: tx, now: now, listening: known?.listening)
        case .response(let response): try applyIncoming(response, tx: tx, now: now)
        case .escalationNotice(let notice): try applyIncoming(notice, tx: tx, now: now)
        case .escalationAcknowledgement(let acknowledgement): try applyIncoming(acknowledgement, tx: tx, now: now)
        case .regionalFigures(let figures):
            try tx.insert(RegionalFiguresRecord(messageID: figures.id, figures: figures, receivedAt: now))
        case .checkpoint(let checkpoint):
            if let witnessed = checked.witnessed {
                try Self.applyIncoming(checkpoint, head: witnessed, tx: tx, now: now)
            }
        case .receipt: break
        }
        try tx.insert(
            MessageRecord(
                id: message.id, caseID: message.caseID, direction: .incoming, kind: message.kind,
                from: message.from, to: message.to, sentAt: message.sentAt, recordedAt: now, jws: jws.compact,
                digest: jws.digest))
        try tx.insert(
            ReceiptRecord(
                messageID: message.id, receiptID: checked.receipt.id, jws: checked.signedReceipt.compact,
                receivedAt: now),
            caseID: message.caseID)
        return AcceptedMessage(receipt: checked.signedReceipt.compact, duplicate: false)
    }

    /// Once committed: logs it (the store has woken the services its commit gave work).
    private func after(_ checked: CheckedMessage, _ accepted: AcceptedMessage) {
        let message = checked.message
        logger.info(
            accepted.duplicate ? "duplicate message: original receipt returned" : "message accepted",
            metadata: ["message": "\(message.id)", "kind": "\(message.kind.rawValue)", "from": "\(message.from)"])
    }

    /// `caseHeld`: whether the case exists, when that was read already (a batch's `Known`).
    static func applyIncoming(_ request: VerificationRequest, tx: StoreTransaction, now: Date, caseHeld: Bool? = nil)
        throws
    {
        guard try !(caseHeld ?? (tx.reader.case(request.caseId) != nil)) else {
            throw RefGateError(.invalidInput, "case \(request.caseId) already exists at this node")
        }
        var record = CaseRecord(
            id: request.caseId, side: .responder, peer: request.from, status: .awaitingResponse,
            candidateName: request.candidate.name, candidateRole: request.role,
            candidateRegistration: request.candidate.registration.key, respondBy: request.respondBy,
            requestMessageID: request.id, createdAt: now, updatedAt: now)
        record.requestedAt = request.sentAt
        try tx.insert(record)
    }

    func applyIncoming(_ response: VerificationResponse, tx: StoreTransaction, now: Date) throws {
        guard let existing = try tx.reader.case(response.caseId), existing.side == .requester,
            existing.peer == response.from
        else {
            throw RefGateError(.unknownCase, "no case \(response.caseId) awaits a response from \(response.from)")
        }
        guard response.inReplyTo == existing.requestMessageID else {
            throw RefGateError(
                .invalidInput, "inReplyTo \(response.inReplyTo) is not the request of case \(response.caseId)")
        }
        try ResponderRule.check(responder: response.responder.role, candidateRole: existing.candidateRole)
        // This authority applies para 5 to the referee's stated position itself.
        let outcome = RefereeRule.outcome(
            stated: response.outcome, findings: response.findings, candidateRole: existing.candidateRole)
        _ = try CaseStateMachine.apply(
            .responseReceived(outcome), to: existing.status, side: existing.side,
            escalated: existing.escalationLevel > 0)
        try escalator.answer(existing, response: response.id, outcome: outcome, tx: tx, now: now)
        var answered = existing
        answered.status = CaseStatus(outcome: outcome)
        try alerts.answerArrived(answered, outcome: outcome, tx: tx, now: now)
    }
}

extension Intake {
    /// The authority whose current auth certificate the TLS client presented. An expired
    /// directory vouches for nobody: fail closed (the sender retries).
    static func client(_ der: [UInt8]?, trusted: TrustedDirectory, now: Date) throws -> AuthorityID {
        try trusted.checkInForce(at: now)
        guard let der, let authority = trusted.authority(forAuthCertificateDER: der, at: now) else {
            throw RefGateError(
                .unknownClientCertificate,
                "the TLS client certificate is not a current auth certificate in directory version \(trusted.directory.version)"
            )
        }
        return authority
    }
}
