import Foundation
import RefGateCore

/// The directory in force and this node's certificates, with how long each has left; anything
/// within 60 days of expiry carries a warning.
public struct TrustStatus: Codable, Sendable, Hashable {
    /// Days before expiry at which a warning shows.
    public static let warningDays = 60.0

    /// One thing that expires.
    public struct Expiry: Codable, Sendable, Hashable {
        /// What it is (`directory`, `auth certificate`, `sign certificate`).
        public var what: String
        /// When it expires.
        public var expiresAt: Date
        /// Days left (negative once expired).
        public var daysLeft: Double
        /// A sentence for people when it expires within 60 days, or has.
        public var warning: String?

        init(what: String, expiresAt: Date, now: Date) {
            self.what = what
            self.expiresAt = expiresAt
            daysLeft = expiresAt.timeIntervalSince(now) / 86_400
            if daysLeft < 0 {
                warning = "The \(what) has expired: renew it now."
            } else if daysLeft < Self.warningDays {
                warning = "The \(what) expires in \(Int(daysLeft.rounded(.down))) days: renew it before then."
            }
        }

        static let warningDays = TrustStatus.warningDays
    }

    /// Version of the directory in force.
    public var directoryVersion: Int
    /// The directory, then each certificate.
    public var expiries: [Expiry]
    /// The warnings among them.
    public var warnings: [String] { expiries.compactMap(\.warning) }
}

extension NodeHealth {
    /// The directory's and this node's certificates' expiry, now.
    public func trustStatus() async -> TrustStatus {
        let now = clock.now()
        let current = await directory.current
        var expiries = [TrustStatus.Expiry(what: "directory", expiresAt: current.directory.expiresAt, now: now)]
        for (kind, certificate) in certificates {
            expiries.append(
                TrustStatus.Expiry(what: "\(kind) certificate", expiresAt: certificate.notValidAfter, now: now))
        }
        return TrustStatus(directoryVersion: current.directory.version, expiries: expiries)
    }
}
