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
    let engine: CaseEngine
    let store: Store
    /// Sends over libcurl, several messages to a peer in one exchange when they queue.
    let batcher: MessageBatcher
    let directory: DirectoryHolder
    let clock: any NodeClock
    let signal: WakeSignal
    let timing: DeliveryTiming
    /// Deliveries in flight at most, over all peers.
    let capacity = 128
    let logger: Logger

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await DeliveryLoop(
            clock: clock, signal: signal, capacity: capacity, shutdownGrace: timing.shutdownGrace,
            id: { $0.messageID },
            due: { now, limit in try await due(now: now, limit: limit) },
            nextDue: { [store] in try await store.read { try $0.nextOutboxWake() } },
            handle: { entry in await deliver(entry) }
        ).run()
    }

    /// Expires what is past its expiry, then: one probe per failing peer whose probe is due,
    /// and the due messages of the other peers.
    func due(now: Date, limit: Int) async throws -> [OutboxEntry] {
        _ = try await engine.deliveries.expireUndelivered(now: now)
        return try await store.read { reader in
            let probes = try reader.peersDueForProbe(now: now).compactMap { try reader.probeEntry(peer: $0, now: now) }
            return probes + (try reader.dueOutbox(now: now, limit: limit))
        }
    }

    func deliver(_ entry: OutboxEntry) async {
        var metadata: Logger.Metadata = ["message": "\(entry.messageID)", "peer": "\(entry.peer)"]
        do {
            guard let message = try await store.read({ try $0.message(entry.messageID) }) else { return }
            let trusted = await directory.current
            let member: TrustedDirectory.Member
            switch Self.recipient(entry.peer, in: trusted, at: clock.now()) {
            case .success(let found): member = found
            case .failure(let withheld):
                // Nothing leaves; a later directory may restore the peer. Until the message
                // expires, keep trying.
                try await engine.deliveries.recordRetryLater(
                    entry, error: withheld.description, problem: nil,
                    delay: timing.backoff(afterAttempts: entry.attempts))
                return
            }
            var endpoint = member.entry.endpoint
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
            let verdict: DeliveryVerdict
            var error = ""
            var problem: String?
            var retryAfter: TimeInterval?
            do {
                let response = try await batcher.send(
                    message.jws, to: .init(endpoint: endpoint, pinnedPublicKey: member.authPins))
                if response.status.kind == .successful {
                    do {
                        let receipt = try verifyReceipt(response.body, for: message, trusted: trusted)
                        if try await engine.deliveries.recordDelivered(
                            receipt, peer: entry.peer, queuedAt: entry.createdAt)
                        {
                            signal.signal()
                        }
                        metadata["attempt"] = "\(entry.attempts + 1)"
                        logger.info("message delivered and receipted", metadata: metadata)
                        return
                    } catch let refusal as RefGateError {
                        // The peer kept the message but its receipt does not prove it: sending
                        // again returns the same receipt, so an operator must look.
                        verdict = .park
                        error = "the peer's receipt is not valid: \(refusal)"
                    }
                } else {
                    let details = try? JSONDecoder().decode(ProblemDetails.self, from: response.body)
                    verdict = .forStatus(
                        response.status.code, problemCode: details?.code, retryAfter: response.retryAfter)
                    problem = String(decoding: response.body.prefix(4096), as: UTF8.self)
                    error = "HTTP \(response.status.code)" + (details.map { " \($0.code): \($0.detail)" } ?? "")
                    retryAfter = response.retryAfter
                }
            } catch let failure as TransportError {
                verdict = Task.isCancelled ? .interrupted : .forTransport(failure)
                error = failure.description
            }
            // Peer-written text (its problem details): escaped, so it cannot forge log lines.
            metadata["error"] = "\(error.escapedForDisplay())"
            switch verdict {
            case .receipted, .interrupted:
                logger.debug("delivery interrupted by shutdown; the message stays pending", metadata: metadata)
            case .peerUnavailable(let after):
                logger.warning("peer unavailable; it will be probed", metadata: metadata)
                try await engine.deliveries.recordPeerUnavailable(
                    entry, error: error, retryAfter: after ?? retryAfter, timing: timing)
            case .retryLater:
                logger.warning("peer refused for now; will retry", metadata: metadata)
                try await engine.deliveries.recordRetryLater(
                    entry, error: error, problem: problem, delay: timing.backoff(afterAttempts: entry.attempts))
            case .park:
                try await engine.deliveries.recordParked(entry, kind: message.kind, error: error, problem: problem)
            }
        } catch {
            // The store itself failed (disk full, say): nothing was recorded, so the message is
            // still pending and is tried again at the next wake.
            metadata["error"] = "\(error)"
            logger.error("could not record a delivery attempt", metadata: metadata)
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
        guard signer == message.to, receipt.from == message.to, receipt.to == engine.authority,
            receipt.messageId == message.id, receipt.messageDigest == message.digest
        else {
            throw RefGateError(
                .malformedMessage, "the receipt from \(signer) does not acknowledge message \(message.id) as sent")
        }
        return ReceiptRecord(
            messageID: message.id, receiptID: receipt.id, jws: jws.compact, receivedAt: receipt.receivedAt)
    }
}
