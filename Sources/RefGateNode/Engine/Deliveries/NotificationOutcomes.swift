import Foundation
import RefGateCore
import RefGateStore

/// What became of each attempt to send a notification to people: the notification queue's
/// counterpart of `DeliveryOutcomes`, so neither deliverer writes the store itself.
public struct NotificationOutcomes: Sendable {
    let store: Store
    let clock: any NodeClock

    /// Records `verdict` for `notification`: sent, tried again after `retryDelay`, or parked
    /// for an operator (an interrupted attempt records nothing: it was never made).
    func apply(
        _ verdict: NotificationVerdict, for notification: NotificationRecord, error: String,
        retryDelay: TimeInterval
    ) async throws {
        let now = clock.now()
        switch verdict {
        case .sent:
            try await store.write { tx in try tx.markDelivered(.notifications, id: notification.id, at: now) }
        case .interrupted:
            break
        case .retryLater:
            let retryAt = now.addingTimeInterval(retryDelay)
            try await store.write { tx in
                try tx.markRetry(.notifications, id: notification.id, error: error, retryAt: retryAt)
            }
        case .park:
            try await store.write { tx in try tx.markParked(.notifications, id: notification.id, error: error) }
        }
    }
}
