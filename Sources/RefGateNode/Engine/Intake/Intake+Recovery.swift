import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust

extension Intake {
    /// What this node exchanged with the caller since `since` (the peer side of a recovery):
    /// only the caller's own exchange, named by its TLS client certificate.
    public func exchangeLog(since: Date, after: String? = nil, clientCertificateDER: [UInt8]?) async throws
        -> ExchangeLog
    {
        let caller = try Self.client(clientCertificateDER, trusted: await directory.current, now: clock.now())
        let rows = try await store.read { [authority] reader in
            try reader.exchanged(
                with: caller, me: authority, since: since, after: after, limit: ExchangeLog.pageSize + 1)
        }
        // A page stays well under what a peer's client accepts (1 MiB): cut it by bytes too.
        var entries: [ExchangeLog.Entry] = []
        var bytes = 0
        for row in rows.prefix(ExchangeLog.pageSize) {
            let size = row.message.jws.utf8.count + (row.receipt?.jws.utf8.count ?? 0) + 64
            if !entries.isEmpty && bytes + size > ExchangeLog.pageBytes { break }
            entries.append(
                .init(
                    id: row.message.id, message: row.message.jws, receipt: row.receipt?.jws,
                    recordedAt: row.message.recordedAt))
            bytes += size
        }
        return ExchangeLog(entries: entries, complete: entries.count == rows.count)
    }

    /// The directory in force, to a member (`GET /peer/v1/directory`).
    public func directory(clientCertificateDER: [UInt8]?) async throws -> String {
        let trusted = await directory.current
        _ = try Self.client(clientCertificateDER, trusted: trusted, now: clock.now())
        return trusted.jws.compact
    }

    /// What a recovery from one peer did.
    public struct Recovered: Codable, Sendable, Hashable {
        /// The peer.
        public var peer: AuthorityID
        /// Messages taken back (and their state changes applied).
        public var applied: Int
        /// Messages this node already held.
        public var known: Int
        /// Messages the peer has not receipted yet (its deliverer or ours sends them again).
        public var unreceipted: Int
        /// Messages refused, with why.
        public var refused: [String]
        /// Why the peer could not be asked, if it could not.
        public var error: String?
    }

    /// Takes back, after a restore, the messages a peer says it exchanged with this node:
    /// each signed message and its receipt are checked as on arrival (signatures against the
    /// directory, the receipt acknowledging that exact message) and applied with the state
    /// change it made, in order; what this node already holds is left alone. The audit log
    /// records the recovery.
    public func recover(_ log: ExchangeLog, from peer: AuthorityID, by actor: AuditActor? = nil) async throws
        -> Recovered
    {
        let trusted = await directory.current
        var result = Recovered(peer: peer, applied: 0, known: 0, unreceipted: 0, refused: [])
        for entry in log.entries {
            do {
                switch try await recoverOne(entry, from: peer, trusted: trusted) {
                case .applied: result.applied += 1
                case .known: result.known += 1
                case .unreceipted: result.unreceipted += 1
                }
            } catch {
                result.refused.append("\(error)")
            }
        }
        let now = clock.now()
        let counts = result
        try await store.write { tx in
            try tx.appendAudit(
                AuditEvent(
                    .recoveryApplied, subject: peer.rawValue, actor: actor,
                    detail: [
                        "applied": "\(counts.applied)", "known": "\(counts.known)",
                        "unreceipted": "\(counts.unreceipted)", "refused": "\(counts.refused.count)",
                    ]),
                at: now)
        }
        logger.notice(
            "recovered messages from a peer",
            metadata: [
                "peer": "\(peer)", "applied": "\(result.applied)", "known": "\(result.known)",
                "refused": "\(result.refused.count)",
            ])
        return result
    }

    private enum Outcome { case applied, known, unreceipted }

    private func recoverOne(_ entry: ExchangeLog.Entry, from peer: AuthorityID, trusted: TrustedDirectory)
        async throws -> Outcome
    {
        let jws = try JWS(compact: entry.message)
        let message = try RefGateMessage.decode(payload: jws.payload)
        if try await store.read({ try $0.message(message.id) }) != nil { return .known }
        guard let receiptText = entry.receipt else { return .unreceipted }
        let signer = try trusted.verifySignature(of: jws, at: message.sentAt)
        let receiptJWS = try JWS(compact: receiptText)
        guard case .receipt(let receipt) = try RefGateMessage.decode(payload: receiptJWS.payload) else {
            throw RefGateError(.malformedMessage, "the receipt of \(message.id) is not a receipt")
        }
        let receiptSigner = try trusted.verifySignature(of: receiptJWS, at: receipt.receivedAt)
        guard receipt.messageId == message.id, receipt.messageDigest == jws.digest, receipt.from == message.to,
            receipt.to == message.from, receiptSigner == message.to
        else {
            throw RefGateError(.malformedMessage, "the receipt does not acknowledge message \(message.id) as sent")
        }
        let incoming = message.from == peer && message.to == authority && signer == peer
        let outgoing = message.from == authority && message.to == peer && signer == authority
        guard incoming || outgoing else {
            throw RefGateError(
                .senderMismatch, "message \(message.id) is not between \(peer) and \(authority), signed by its sender")
        }
        let record = MessageRecord(
            id: message.id, caseID: message.caseID, direction: incoming ? .incoming : .outgoing, kind: message.kind,
            from: message.from, to: message.to, sentAt: message.sentAt,
            recordedAt: incoming ? receipt.receivedAt : message.sentAt, jws: jws.compact, digest: jws.digest)
        let receiptRecord = ReceiptRecord(
            messageID: message.id, receiptID: receipt.id, jws: receiptJWS.compact, receivedAt: receipt.receivedAt)
        try await store.write { tx in
            if incoming {
                try self.applyRecovered(incoming: message, at: receipt.receivedAt, tx: tx)
                try tx.insert(record)
                try tx.insert(receiptRecord)
            } else {
                try self.applyRecovered(outgoing: message, tx: tx)
                try tx.insert(record)
                try tx.enqueue(
                    messageID: message.id, peer: peer, caseID: message.caseID, notBefore: message.sentAt,
                    expiresAt: receipt.receivedAt)
                try tx.markDelivered(receiptRecord, at: receipt.receivedAt)
            }
        }
        return .applied
    }

    /// A message the peer sent and this node had receipted: its state change, as on arrival.
    private func applyRecovered(incoming message: RefGateMessage, at time: Date, tx: StoreTransaction) throws {
        switch message {
        case .request(let request): try Self.applyIncoming(request, tx: tx, now: time)
        case .response(let response): try applyIncoming(response, tx: tx, now: time)
        case .escalationNotice(let notice): try applyIncoming(notice, tx: tx, now: time)
        case .escalationAcknowledgement(let acknowledgement): try applyIncoming(acknowledgement, tx: tx, now: time)
        case .regionalFigures(let figures):
            try tx.insert(RegionalFiguresRecord(messageID: figures.id, figures: figures, receivedAt: time))
        case .checkpoint, .receipt: break
        }
    }

    /// A message this node had sent and the peer receipted: the state change sending it made.
    private func applyRecovered(outgoing message: RefGateMessage, tx: StoreTransaction) throws {
        let now = message.sentAt
        switch message {
        case .request(let request):
            try tx.insert(
                CaseRecord(
                    id: request.caseId, side: .requester, peer: request.to, status: .awaitingResponse,
                    candidateName: request.candidate.name, candidateRole: request.role,
                    candidateRegistration: request.candidate.registration.key, respondBy: request.respondBy,
                    requestMessageID: request.id, createdAt: now, updatedAt: now))
        case .response(let response):
            guard let record = try tx.reader.case(response.caseId), record.side == .responder else {
                throw RefGateError(.unknownCase, "no case \(response.caseId) owed to \(response.to) here")
            }
            _ = try CaseStateMachine.apply(
                .responseSent(response.outcome), to: record.status, side: record.side,
                escalated: record.escalationLevel > 0)
            try escalator.answer(record, response: response.id, outcome: response.outcome, tx: tx, now: now)
        case .escalationNotice(let notice):
            guard let record = try tx.reader.case(notice.caseId), record.side == .requester else {
                throw RefGateError(.unknownCase, "no case \(notice.caseId) sent to \(notice.to) here")
            }
            guard try tx.reader.escalation(notice.escalationId) == nil else { return }
            try tx.insert(
                EscalationRecord(
                    id: notice.escalationId, caseID: record.id, level: notice.level, reason: notice.reason,
                    role: notice.roleAddressed, raisedBy: notice.raisedBy, note: notice.note, raisedAt: now,
                    dueAt: notice.respondBy, noticeMessageID: notice.id))
            try tx.apply(EscalationRules.transition(raising: notice.level, caseID: record.id), at: now)
        case .escalationAcknowledgement(let acknowledgement):
            try tx.acknowledge(escalationID: acknowledgement.escalationId, by: acknowledgement.acknowledgedBy, at: now)
        case .checkpoint, .receipt, .regionalFigures: break
        }
    }
}
