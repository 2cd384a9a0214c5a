import RefGateStore

/// The wake-up of each service that drains a work queue. The store calls ``wake(_:)`` after
/// every commit with the queues that commit touched, so no part of the engine wakes a service
/// by hand (and none can forget to).
public struct WorkSignals: Sendable {
    /// Wakes the outbox deliverer.
    public let outbox = WakeSignal()
    /// Wakes the notification deliverer.
    public let notifications = WakeSignal()
    /// Wakes the deadline scheduler.
    public let deadlines = WakeSignal()
    /// Wakes the directory watch.
    public let directory = WakeSignal()

    /// Creates the signals.
    public init() {}

    /// Wakes the services of `queues`.
    public func wake(_ queues: Set<WorkQueue>) {
        for queue in queues {
            switch queue {
            case .outbox: outbox.signal()
            case .notifications: notifications.signal()
            case .deadlines: deadlines.signal()
            case .directory: directory.signal()
            }
        }
    }
}
