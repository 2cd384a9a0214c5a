import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust
import ServiceLifecycle

/// Delivers committed outbox messages to peers over mutual TLS and keeps their signed receipts.
///
/// It wakes when the engine writes a message or when the earliest retry falls due, retries
/// network failures and 5xx with exponential backoff and jitter, and marks a message rejected
/// when the peer refuses it with a 4xx problem (sending it again would change nothing).
/// On graceful shutdown it finishes the deliveries in flight and stops taking new ones.
public struct OutboxDeliverer: Service {
    let authority: AuthorityID
    let store: Store
    let client: CurlHTTPClient
    let directory: DirectoryHolder
    let clock: any NodeClock
    let signal: WakeSignal
    let backoff: Backoff
    let batchSize = 32
    let logger: Logger

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await DeliveryLoop(
            clock: clock, signal: signal,
            due: { [store, batchSize] now in try await store.read { try $0.dueOutbox(now: now, limit: batchSize) } },
            nextDue: { [store] in try await store.read { try $0.nextOutboxDue() } },
            handle: { entry in await deliver(entry) }
        ).run()
    }

    func deliver(_ entry: OutboxEntry) async {
        var metadata: Logger.Metadata = ["message": "\(entry.messageID)", "peer": "\(entry.peer)"]
        do {
            let trusted = await directory.current
            guard let member = trusted.member(entry.peer) else {
                throw RefGateError(
                    .unknownAuthority, "\(entry.peer) is not in directory version \(trusted.directory.version)")
            }
            guard let message = try await store.read({ try $0.message(entry.messageID) }) else { return }
            var endpoint = member.entry.endpoint
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
            let response = try await client.sendExpectingSuccess(
                url: endpoint + "/peer/v1/messages", body: Data(message.jws.utf8),
                headers: ["Content-Type": PeerAPI.joseMediaType, "Accept": PeerAPI.joseMediaType])
            let receipt = try verifyReceipt(response.body, for: message, trusted: trusted)
            try await store.write { tx in try tx.markDelivered(receipt) }
            metadata["attempt"] = "\(entry.attempts + 1)"
            logger.info("message delivered and receipted", metadata: metadata)
        } catch let error as TransportError where !error.isRetryable {
            metadata["error"] = "\(error.code.rawValue)"
            logger.error("peer refused the message; not retrying", metadata: metadata)
            try? await store.write { tx in try tx.markRejected(messageID: entry.messageID, error: error.description) }
        } catch {
            let delay = backoff.delay(afterAttempts: entry.attempts)
            let retryAt = clock.now().addingTimeInterval(delay)
            metadata["error"] = "\(error)"
            metadata["retry_in_s"] = "\(Int(delay.rounded()))"
            logger.warning("delivery failed; will retry", metadata: metadata)
            try? await store.write { tx in
                try tx.markAttemptFailed(messageID: entry.messageID, error: "\(error)", retryAt: retryAt)
            }
        }
    }

    private func verifyReceipt(_ body: Data, for message: MessageRecord, trusted: TrustedDirectory) throws
        -> ReceiptRecord
    {
        let jws = try JWS(compact: String(decoding: body, as: UTF8.self))
        let signer = try trusted.verifySignature(of: jws)
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
