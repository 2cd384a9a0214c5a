import Foundation

/// UK GDPR storage limitation: when a closed case's personal data must go.
///
/// A case closes when it is answered or its ladder is spent. A case with a **concern** (the
/// reference not verified or its referee ineligible, an escalation at any level, a para 14
/// decision) is the one most likely to matter later, so it is kept for `concernYears`
/// (default 6). Otherwise a case whose reference was verified may have led to an appointment,
/// so it is kept for `appointedYears` (default 6) after it closed; any other outcome never led
/// to one, so it goes after `notAppointedYears` (default 1). Open cases, and cases under a
/// legal hold, are never purged (the hold is checked by the node).
public struct RetentionRule: Sendable, Hashable, Codable {
    /// Years a verified case is kept after it closes.
    public var appointedYears: Int
    /// Years any other closed case is kept.
    public var notAppointedYears: Int
    /// Years a case with a concern or a para 14 decision is kept after it closes.
    public var concernYears: Int

    /// The defaults: 6 years, 1 year for cases that never led to an appointment, 6 for concerns.
    public static let `default` = RetentionRule(appointedYears: 6, notAppointedYears: 1, concernYears: 6)

    /// Creates a rule.
    public init(appointedYears: Int, notAppointedYears: Int, concernYears: Int = 6) {
        self.appointedYears = appointedYears
        self.notAppointedYears = notAppointedYears
        self.concernYears = concernYears
    }

    /// Reads a rule written before `concernYears` existed with its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            appointedYears: try container.decode(Int.self, forKey: .appointedYears),
            notAppointedYears: try container.decode(Int.self, forKey: .notAppointedYears),
            concernYears: try container.decodeIfPresent(Int.self, forKey: .concernYears) ?? 6)
    }

    /// Why a case's data goes when it does.
    public enum Basis: String, Codable, Sendable {
        /// Verified: kept `appointedYears`.
        case appointed
        /// Never led to an appointment: kept `notAppointedYears`.
        case notAppointed = "not-appointed"
        /// A concern or a para 14 decision: kept `concernYears`.
        case concern
    }

    /// Whether a case holds a concern: not verified, referee ineligible, escalated at any
    /// level (`highestEscalationLevel`), or a para 14 decision recorded.
    public static func isConcern(status: CaseStatus, highestEscalationLevel: Int, decided: Bool) -> Bool {
        decided || highestEscalationLevel >= 1 || status == .notVerified || status == .refereeIneligible
    }

    /// When a case's personal data is due for removal, or nil while it is open.
    public func purgeDue(status: CaseStatus, escalationLevel: Int, closedAt: Date, concern: Bool = false)
        -> (Date, Basis)?
    {
        let closed = status.isAnswered || escalationLevel >= EscalationRules.exhausted
        guard closed else { return nil }
        let basis: Basis = concern ? .concern : status == .verified ? .appointed : .notAppointed
        let years =
            switch basis {
            case .appointed: appointedYears
            case .notAppointed: notAppointedYears
            case .concern: concernYears
            }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let due = calendar.date(byAdding: .year, value: years, to: closedAt) ?? closedAt
        return (due.atMillisecondPrecision, basis)
    }
}
