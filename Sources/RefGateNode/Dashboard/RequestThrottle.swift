import Foundation
import Synchronization

/// At most `limit` requests per client in any `window`, for forms anyone may post (the sign-in
/// code form). Memory is bounded: at most `maxClients` clients are tracked, and while that many
/// are, a new client is refused until some age out.
final class RequestThrottle: Sendable {
    private let recent = Mutex<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval
    let maxClients: Int

    init(limit: Int, window: TimeInterval, maxClients: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.maxClients = maxClients
    }

    /// Counts a request from `client` at `now`; nil if it may go ahead, else when it may try again.
    func check(_ client: String, now: Date) -> Date? {
        recent.withLock { recent in
            let since = now.addingTimeInterval(-window)
            var times = recent[client, default: []].filter { $0 > since }
            if times.isEmpty && recent[client] == nil && recent.count >= maxClients {
                recent = recent.filter { $0.value.contains { $0 > since } }
                if recent.count >= maxClients { return now.addingTimeInterval(window) }
            }
            guard times.count < limit else {
                recent[client] = times
                return times[0].addingTimeInterval(window)
            }
            times.append(now)
            recent[client] = times
            return nil
        }
    }
}
