import Foundation
import Logging
import RefGateCore
import RefGateStore
import ServiceLifecycle

/// Watches the directory in force and tells operators, once per directory version: that it
/// expires within the warning period, that it has expired (the node then fails closed), and
/// which members it leaves out because of their certificates.
public struct DirectoryWatch: Service {
    let directory: DirectoryHolder
    let store: Store
    let clock: any NodeClock
    let planner: NotificationPlanner
    /// How long before expiry operators are warned.
    let warning: TimeInterval
    /// Woken when a directory is installed.
    let signal: WakeSignal
    let logger: Logger
    /// Rounds run only while this instance leads the periodic work.
    var leadership: Leadership = .always

    /// Checks now and at each threshold (at least hourly) until graceful shutdown.
    public func run() async throws {
        await PeriodicLoop(name: "directory watch", signal: signal, logger: logger, leadership: leadership).run(round: {
            let next = try await check()
            return .seconds(min(max(next.timeIntervalSince(clock.now()), 1), 3600))
        })
    }

    /// Sends what is due for the directory in force and returns when to look again.
    @discardableResult
    public func check() async throws -> Date {
        let trusted = await directory.current
        let now = clock.now()
        let version = trusted.directory.version
        let expiresAt = trusted.directory.expiresAt
        let warnAt = expiresAt.addingTimeInterval(-warning)
        let excluded = trusted.excluded
        let planner = self.planner
        let sent = try await store.write { tx -> [String] in
            var sent: [String] = []
            if !excluded.isEmpty, try tx.claimDirectoryAlert(.exclusionsReported, version: version) {
                for notification in planner.membersExcluded(version: version, excluded: excluded, now: now) {
                    try tx.enqueue(notification)
                }
                sent.append("members excluded")
            }
            if now >= expiresAt, try tx.claimDirectoryAlert(.expiredAlerted, version: version) {
                for notification in planner.directoryExpired(version: version, expiresAt: expiresAt, now: now) {
                    try tx.enqueue(notification)
                }
                sent.append("expired")
            } else if now >= warnAt, now < expiresAt, try tx.claimDirectoryAlert(.expiryWarned, version: version) {
                for notification in planner.directoryExpiring(version: version, expiresAt: expiresAt, now: now) {
                    try tx.enqueue(notification)
                }
                sent.append("expiring")
            }
            return sent
        }
        if !sent.isEmpty {
            for (id, reason) in excluded.sorted(by: { $0.key < $1.key }) where sent.contains("members excluded") {
                logger.warning("directory member left out", metadata: ["member": "\(id)", "reason": "\(reason)"])
            }
            logger.warning(
                "directory alert sent to operators",
                metadata: ["version": "\(version)", "alerts": "\(sent)", "expiresAt": "\(expiresAt)"])
        }
        if now >= expiresAt { return now.addingTimeInterval(3600) }
        return now < warnAt ? warnAt : expiresAt
    }
}
