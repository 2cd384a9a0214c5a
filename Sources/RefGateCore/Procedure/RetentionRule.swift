import Foundation

/// UK GDPR storage limitation: when a closed case's personal data must go.
///
/// A case closes when it is answered or its ladder is spent. A case whose reference was
/// verified may have led to an appointment, so it is kept for `appointedYears` (default 6)
/// after it closed; any other outcome never led to one, so it goes after `notAppointedYears`
/// (default 1). Open cases are never purged.
public struct RetentionRule: Sendable, Hashable, Codable {
    /// Years a verified case is kept after it closes.
    public var appointedYears: Int
    /// Years any other closed case is kept.
    public var notAppointedYears: Int

    /// The defaults: 6 years, and 1 year for cases that never led to an appointment.
    public static let `default` = RetentionRule(appointedYears: 6, notAppointedYears: 1)

    /// Creates a rule.
    public init(appointedYears: Int, notAppointedYears: Int) {
        self.appointedYears = appointedYears
        self.notAppointedYears = notAppointedYears
    }

    /// Why a case's data goes when it does.
    public enum Basis: String, Codable, Sendable {
        /// Verified: kept `appointedYears`.
        case appointed
        /// Never led to an appointment: kept `notAppointedYears`.
        case notAppointed = "not-appointed"
    }

    /// When a case's personal data is due for removal, or nil while it is open.
    public func purgeDue(status: CaseStatus, escalationLevel: Int, closedAt: Date) -> (Date, Basis)? {
        let closed = status.isAnswered || escalationLevel >= EscalationRules.exhausted
        guard closed else { return nil }
        let basis: Basis = status == .verified ? .appointed : .notAppointed
        let years = basis == .appointed ? appointedYears : notAppointedYears
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let due = calendar.date(byAdding: .year, value: years, to: closedAt) ?? closedAt
        return (due.atMillisecondPrecision, basis)
    }
}
