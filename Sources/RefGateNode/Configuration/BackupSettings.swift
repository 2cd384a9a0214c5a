import Foundation

/// Scheduled backups (`backup` in the node configuration): the node takes one every
/// `intervalHours` into `folder` and keeps the newest `keep`.
public struct BackupSettings: Codable, Sendable, Hashable {
    /// Where backups are written (created 0700 if missing).
    public var folder: String
    /// Hours between backups (default 24; 1 to 720). The first is taken this long after start.
    public var intervalHours: Double?
    /// How many to keep (default 7); older ones are deleted after each new one.
    public var keep: Int?
    /// An operator's P-256 public key (PEM) to seal each backup to (then with the node's keys).
    public var sealTo: String?

    /// Creates settings.
    public init(folder: String, intervalHours: Double? = nil, keep: Int? = nil, sealTo: String? = nil) {
        self.folder = folder
        self.intervalHours = intervalHours
        self.keep = keep
        self.sealTo = sealTo
    }

    /// Seconds between backups.
    public var interval: TimeInterval { (intervalHours ?? 24) * 3600 }
    /// How many are kept.
    public var kept: Int { keep ?? 7 }
}
