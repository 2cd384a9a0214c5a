/// The standards of the procedure the region rates each authority against, in the employer
/// standards audit tool's sense (Step 1: a RAG rating per standard). Each is a proportion of
/// the authority's exchanges, as its peers' signed figures report them. Pure.
public enum RegionalStandard: String, Codable, Sendable, CaseIterable {
    /// Para 6: requests answered as a matter of urgency, by the deadline.
    case answeredInTime = "answered-in-time"
    /// Para 5: references it gave met the standard (not a colleague or first-line manager).
    case refereesMeetPara5 = "referees-meet-para-5"
    /// Para 13: settled without reaching heads of service ("only in rare circumstances").
    case settledBelowHeadOfService = "settled-below-head-of-service"
    /// Para 14: never let the ladder run out unanswered.
    case ladderNotSpent = "ladder-not-spent"

    /// The standard in words, with its paragraph.
    public var title: String {
        switch self {
        case .answeredInTime: "Answers requests by the deadline (para 6)"
        case .refereesMeetPara5: "References meet para 5 (not a colleague or first-line manager)"
        case .settledBelowHeadOfService: "Settled before heads of service are needed (para 13)"
        case .ladderNotSpent: "No request left unanswered at the top of the ladder (para 14)"
        }
    }

    /// The default thresholds: green at or above `green`, amber at or above `amber`, red below.
    public var defaultThresholds: RegionalThresholds {
        switch self {
        case .answeredInTime: .init(green: 0.90, amber: 0.75)
        case .refereesMeetPara5: .init(green: 0.95, amber: 0.85)
        case .settledBelowHeadOfService: .init(green: 0.95, amber: 0.85)
        case .ladderNotSpent: .init(green: 0.99, amber: 0.95)
        }
    }

    /// The part that met the standard and the whole it is a part of, for one authority's
    /// exchanges as its peers reported them (`peers`: the rows where it is the `authority`).
    public func measure(_ peers: [RegionalFigures.Peer]) -> (met: Int, of: Int) {
        func sum(_ value: (RegionalFigures.Peer) -> Int) -> Int { peers.reduce(0) { $0 + value($1) } }
        switch self {
        case .answeredInTime:
            let inTime = sum(\.answeredInTime)
            return (inTime, inTime + sum(\.answeredLate) + sum(\.overdueUnanswered))
        case .refereesMeetPara5:
            let answers = sum(\.outcomes.total)
            return (answers - sum(\.outcomes.refereeIneligible), answers)
        case .settledBelowHeadOfService:
            let requests = sum(\.requestsSent)
            return (requests - sum(\.escalatedLevel2), requests)
        case .ladderNotSpent:
            let requests = sum(\.requestsSent)
            return (requests - sum(\.laddersSpent), requests)
        }
    }
}

/// Where green and amber start, as proportions from 0 to 1.
public struct RegionalThresholds: Codable, Sendable, Hashable {
    /// Green at or above this.
    public var green: Double
    /// Amber at or above this (and below green); red below.
    public var amber: Double

    /// Creates thresholds.
    public init(green: Double, amber: Double) {
        self.green = green
        self.amber = amber
    }

    /// Whether they make sense: 0 ≤ amber ≤ green ≤ 1.
    public var isValid: Bool { 0 <= amber && amber <= green && green <= 1 }

    /// The rating of `met` out of `of`; nil when there is nothing to rate, or too little to
    /// show without identifying anyone (`of` under `suppressBelow`).
    public func rating(met: Int, of: Int, suppressBelow: Int) -> RAGStatus? {
        guard of > 0, of >= suppressBelow else { return nil }
        let proportion = Double(met) / Double(of)
        if proportion >= green { return .green }
        if proportion >= amber { return .amber }
        return .red
    }
}
