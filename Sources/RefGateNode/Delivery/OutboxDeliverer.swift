import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust
import ServiceLifecycle

/// Delivers committed outbox messages to peers over mutual TLS and keeps their signed receipts.
///
/// Every attempt ends in a `DeliveryVerdict`; nothing is dropped. A message waits for the
/// earlier messages of its case. A peer that cannot be reached is probed with one message at a
/// time (at most `probeInterval` apart) while the rest of its backlog waits; the first receipt
/// releases the backlog at once. Messages not receipted by their expiry become recorded
/// non-deliveries. Other peers are never held up by a slow or dead one.
public struct OutboxDeliverer: Service {
    let authority: AuthorityID
    let outcomes: DeliveryOutcomes
    let store: Store
    /// Sends over libcurl, the messages due for a peer in one exchange.
    let exchange: any PeerTransport
    let directory: DirectoryHolder
    let clock: any NodeClock
    let signal: WakeSignal
    let timing: DeliveryTiming
    /// Messages in flight at most, over all peers. The loop refills a quarter of it at a time,
    /// so under load each refill gives a busy peer full batches (`PeerBatch.maxMessages`):
    /// measured with `refgate bench exchange`, 128 gave 2,200 msg/s, 512 gave 2,800 and 1,024
    /// gave 3,100; 2,048 fell back to 2,700.
    let capacity = 1024
    let logger: Logger

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await DeliveryLoop(
            clock: clock, signal: signal, capacity: capacity, shutdownGrace: timing.shutdownGrace,
            id: { $0.messageID },
            due: { now, room, inFlight in try await due(now: now, room: room, inFlight: inFlight) },
            nextDue: { [store] in try await store.read { try $0.nextOutboxWake() } },
            batchKey: { $0.peer.rawValue }, maxBatch: PeerBatch.maxMessages,
            handle: { entries in await deliver(entries) }
        ).run()
    }

    /// Expires what is past its expiry, then: one probe per failing peer whose probe is due,
    /// and the due messages of the other peers (room for `room` more beside `inFlight`).
    func due(now: Date, room: Int, inFlight: Int) async throws -> [OutboxEntry] {
        _ = try await outcomes.expireUndelivered(now: now)
        guard store.isShared else {
            return try await store.read { reader in
                let probes = try reader.peersDueForProbe(now: now).compactMap {
                    try reader.probeEntry(peer: $0, now: now)
                }
                return probes + (try reader.dueOutbox(now: now, limit: room + inFlight))
            }
        }
        // Other instances send from the same outbox: take only what this one claims, and no
        // more than the loop starts (what is in flight here is claimed, so not read again).
        return try await store.write { tx in
            let reader = tx.reader
            let probes = try reader.peersDueForProbe(now: now).compactMap {
                try reader.probeEntry(peer: $0, now: now, locking: true)
            }
            let entries = Array((probes + (try reader.dueOutbox(now: now, limit: room, locking: true))).prefix(room))
            let claimed = try tx.claim(
                .outbox, ids: entries.map(\.messageID), until: now.addingTimeInterval(timing.claimLease), now: now)
            return entries.filter { claimed.contains($0.messageID) }
        }
    }

    /// Delivers messages due for one peer together: one read, one exchange (a batch when there
    /// are several) and one write for the receipts; each message gets its own verdict.
    func deliver(_ entries: [OutboxEntry]) async {
        guard let peer = entries.first?.peer else { return }
        do {
            let held = try await store.read { try $0.messages(ids: entries.map(\.messageID)) }
            let found = entries.compactMap { entry in held[entry.messageID].map { (entry, $0) } }
            guard !found.isEmpty else { return }
            let trusted = await directory.current
            let member: TrustedDirectory.Member
            switch Self.recipient(peer, in: trusted, at: clock.now()) {
            case .success(let recipient): member = recipient
            case .failure(let withheld):
                // Nothing leaves; a later directory may restore the peer. Until the messages
                // expire, keep trying.
                for (entry, _) in found {
                    try await outcomes.retryLater(
                        entry, error: withheld.description, problem: nil,
                        delay: timing.backoff(afterAttempts: entry.attempts))
                }
                return
            }
            var endpoint = member.entry.endpoint
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
            let target = PeerTarget(endpoint: endpoint, pinnedPublicKey: member.authPins)
            let answers = await exchange.send(found.map(\.1.jws), to: target)
            var receipted: [(receipt: ReceiptRecord, entry: OutboxEntry)] = []
            var delivered: [OutboxEntry] = []
            var failed: [(OutboxEntry, MessageRecord, Failure)] = []
            for ((entry, message), answer) in zip(found, answers) {
                switch judge(answer, for: message, trusted: trusted) {
                case .success(let receipt):
                    receipted.append((receipt, entry))
                    delivered.append(entry)
                case .failure(let failure): failed.append((entry, message, failure))
                }
            }
            if !receipted.isEmpty {
                try await outcomes.delivered(receipted, peer: peer, version: exchange.peerVersion(target))
                for entry in delivered {
                    logger.info(
                        "message delivered and receipted",
                        metadata: [
                            "message": "\(entry.messageID)", "peer": "\(peer)", "attempt": "\(entry.attempts + 1)",
                        ])
                }
            }
            for (entry, message, failure) in failed { try await handle(failure, entry: entry, message: message) }
        } catch {
            // The store itself failed (disk full, say): nothing was recorded, so the messages
            // are still pending and are tried again at the next wake.
            logger.error(
                "could not record a delivery attempt",
                metadata: ["peer": "\(peer)", "messages": "\(entries.count)", "error": "\(error)"])
        }
    }

    /// Why an attempt did not end in a valid receipt, and what follows.
    struct Failure: Error {
        var verdict: DeliveryVerdict
        var error: String
        var problem: String?
        var retryAfter: TimeInterval?
    }

    /// The receipt the peer answered a message with, or what the answer means instead.
    private func judge(
        _ answer: PeerAnswer, for message: MessageRecord, trusted: TrustedDirectory
    ) -> Result<ReceiptRecord, Failure> {
        let verdict = Task.isCancelled ? .interrupted : DeliveryVerdict.of(answer)
        switch answer {
        case .receipt(let body):
            do {
                return .success(try verifyReceipt(body, for: message, trusted: trusted))
            } catch {
                // The peer kept the message but its receipt does not prove it: sending again
                // returns the same receipt, so an operator must look.
                return .failure(Failure(verdict: .park, error: "the peer's receipt is not valid: \(error)"))
            }
        case .refused(let status, let problem, let body, let retryAfter):
            return .failure(
                Failure(
                    verdict: verdict, error: "HTTP \(status)" + (problem.map { " \($0.code): \($0.detail)" } ?? ""),
                    problem: String(decoding: body.prefix(4096), as: UTF8.self), retryAfter: retryAfter))
        case .failed(let error):
            return .failure(Failure(verdict: verdict, error: (error as? TransportError)?.description ?? "\(error)"))
        }
    }

    private func handle(_ failure: Failure, entry: OutboxEntry, message: MessageRecord) async throws {
        // Peer-written text (its problem details): escaped, so it cannot forge log lines.
        let metadata: Logger.Metadata = [
            "message": "\(entry.messageID)", "peer": "\(entry.peer)", "error": "\(failure.error.escapedForDisplay())",
        ]
        switch failure.verdict {
        case .receipted, .interrupted:
            logger.debug("delivery interrupted by shutdown; the message stays pending", metadata: metadata)
        case .peerUnavailable(let after):
            logger.warning("peer unavailable; it will be probed", metadata: metadata)
            try await outcomes.peerUnavailable(
                entry, error: failure.error, retryAfter: after ?? failure.retryAfter, timing: timing)
        case .retryLater:
            logger.warning("peer refused for now; will retry", metadata: metadata)
            try await outcomes.retryLater(
                entry, error: failure.error, problem: failure.problem,
                delay: timing.backoff(afterAttempts: entry.attempts))
        case .park:
            try await outcomes.parked(
                entry, kind: message.kind, error: failure.error, problem: failure.problem)
        }
    }

    /// The member to send to, or why nothing may be sent to `peer` now: the directory has
    /// expired (fail closed), does not list it, or lists no auth certificate of it that is
    /// unrevoked and valid.
    static func recipient(_ peer: AuthorityID, in trusted: TrustedDirectory, at now: Date)
        -> Result<TrustedDirectory.Member, RefGateError>
    {
        do { try trusted.checkInForce(at: now) } catch let expired as RefGateError { return .failure(expired) } catch {
            return .failure(RefGateError(.internalError, "\(error)"))
        }
        guard let member = trusted.member(peer) else {
            return .failure(
                RefGateError(.unknownAuthority, "\(peer) is not in directory version \(trusted.directory.version)"))
        }
        if let refusal = member.refusalToReceive(at: now) { return .failure(RefGateError(.unknownAuthority, refusal)) }
        return .success(member)
    }

    private func verifyReceipt(_ body: Data, for message: MessageRecord, trusted: TrustedDirectory) throws
        -> ReceiptRecord
    {
        let jws = try JWS(compact: String(decoding: body, as: UTF8.self))
        let signer = try trusted.verifySignature(of: jws, at: clock.now())
        guard case .receipt(let receipt) = try RefGateMessage.decode(payload: jws.payload) else {
            throw RefGateError(.malformedMessage, "the peer answered with something other than a receipt")
        }
        guard signer == message.to, receipt.from == message.to, receipt.to == authority,
            receipt.messageId == message.id, receipt.messageDigest == message.digest
        else {
            throw RefGateError(
                .malformedMessage, "the receipt from \(signer) does not acknowledge message \(message.id) as sent")
        }
        return ReceiptRecord(
            messageID: message.id, receiptID: receipt.id, jws: jws.compact, receivedAt: receipt.receivedAt)
    }
}
