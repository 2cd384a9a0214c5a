import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

extension Commands {
    /// Sends parked messages again, one or all of a peer's (`refgate deliveries retry`).
    public func retryParked(messageID: String? = nil, peer: AuthorityID? = nil, by principal: Principal = .node)
        async throws -> Int
    {
        guard (messageID == nil) != (peer == nil) else {
            throw RefGateError(.invalidInput, "name exactly one of a message id or a peer")
        }
        let now = clock.now()
        let count = try await store.write { tx in
            let count = try tx.retryParked(messageID: messageID, peer: peer, at: now)
            if count > 0 {
                try tx.appendAudit(
                    AuditEvent(
                        .deliveryRetried, subject: messageID ?? peer?.rawValue, actor: principal.auditActor,
                        detail: ["count": "\(count)"]),
                    at: now)
            }
            return count
        }
        if count == 0, let messageID {
            let state = try await store.read { try $0.outboxEntry(messageID: messageID)?.state }
            throw RefGateError(
                .notFound,
                state == nil
                    ? "no outgoing message \(messageID) at this node"
                    : "message \(messageID) is \(state!.rawValue), not parked; only parked messages are sent again")
        }
        logger.notice("parked messages sent again", metadata: ["count": "\(count)"])
        return count
    }
}
