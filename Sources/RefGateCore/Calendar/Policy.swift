import Foundation

/// An authority's deadline policy (DESIGN §3), counted in its working calendar.
public struct Policy: Sendable, Hashable {
    /// The working calendar deadlines are counted in.
    public var calendar: WorkingCalendar
    /// Working days the providing authority has to respond (D0).
    public var responseWorkingDays: Double
    /// Working days for an answer once escalated to service managers (L1).
    public var level1WorkingDays: Double
    /// Working days for an answer once escalated to heads of service (L2).
    public var level2WorkingDays: Double
    /// A deadline this close (in working days) is amber.
    public var amberWorkingDays: Double
    /// Working hours between reminders of an unacknowledged escalation.
    public var reminderWorkingHours: Double
    /// Working days a message has to be receipted before it becomes a non-delivery.
    public var messageExpiryWorkingDays: Double

    /// The defaults, in one place: the procedure's 2, 2 and 3 working days, amber within 1,
    /// reminders every 4 working hours, messages expiring after 5 working days.
    public enum Defaults {
        /// `responseWorkingDays`.
        public static let responseWorkingDays: Double = 2
        /// `level1WorkingDays`.
        public static let level1WorkingDays: Double = 2
        /// `level2WorkingDays`.
        public static let level2WorkingDays: Double = 3
        /// `amberWorkingDays`.
        public static let amberWorkingDays: Double = 1
        /// `reminderWorkingHours`.
        public static let reminderWorkingHours: Double = 4
        /// `messageExpiryWorkingDays`.
        public static let messageExpiryWorkingDays: Double = 5
    }

    /// Creates a policy; what is not given is `Defaults`.
    public init(
        calendar: WorkingCalendar, responseWorkingDays: Double = Defaults.responseWorkingDays,
        level1WorkingDays: Double = Defaults.level1WorkingDays, level2WorkingDays: Double = Defaults.level2WorkingDays,
        amberWorkingDays: Double = Defaults.amberWorkingDays,
        reminderWorkingHours: Double = Defaults.reminderWorkingHours,
        messageExpiryWorkingDays: Double = Defaults.messageExpiryWorkingDays
    ) throws {
        for (name, value) in [
            ("responseWorkingDays", responseWorkingDays), ("level1WorkingDays", level1WorkingDays),
            ("level2WorkingDays", level2WorkingDays), ("amberWorkingDays", amberWorkingDays),
            ("reminderWorkingHours", reminderWorkingHours), ("messageExpiryWorkingDays", messageExpiryWorkingDays),
        ] where !(value > 0 && value.isFinite) {
            throw RefGateError(.configurationInvalid, "policy.\(name) must be a positive number, not \(value)")
        }
        self.calendar = calendar
        self.responseWorkingDays = responseWorkingDays
        self.level1WorkingDays = level1WorkingDays
        self.level2WorkingDays = level2WorkingDays
        self.amberWorkingDays = amberWorkingDays
        self.reminderWorkingHours = reminderWorkingHours
        self.messageExpiryWorkingDays = messageExpiryWorkingDays
    }

    /// When a message sent at `sentAt` becomes a non-delivery if no receipt has come.
    public func messageExpiry(sentAt: Date) -> Date {
        calendar.adding(workingDays: messageExpiryWorkingDays, to: sentAt)
    }

    /// Margin beyond a message's expiry within which a receiver still accepts it: the sender's
    /// last retry may start just before expiry, and calendars may differ by a bank holiday.
    public static let lateAcceptanceMargin: TimeInterval = 86_400

    /// Whether a receiver accepts a message signed at `sentAt`: at most `skew` in the future,
    /// and in the past up to the message's expiry plus a margin. A retry after a long outage
    /// carries its original bytes and signature, so `sentAt` can be days old; replay is refused
    /// by message id, which is kept for ever, not by age.
    public func acceptsSentAt(_ sentAt: Date, now: Date, skew: TimeInterval) -> Bool {
        guard sentAt.timeIntervalSince(now) <= skew else { return false }
        // Nearly every message is seconds old; an expiry of working days is at least a calendar
        // day away, so the calendar need not be asked.
        if now.timeIntervalSince(sentAt) <= Self.lateAcceptanceMargin { return true }
        return now <= messageExpiry(sentAt: sentAt).addingTimeInterval(Self.lateAcceptanceMargin + skew)
    }

    /// The response deadline for a request sent at `sentAt`.
    public func respondBy(sentAt: Date) -> Date {
        calendar.adding(workingDays: responseWorkingDays, to: sentAt)
    }
}
