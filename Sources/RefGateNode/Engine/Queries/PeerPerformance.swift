import Foundation
import RefGateCore

/// How exchanges with one peer authority went: the regional performance page's row.
public struct PeerPerformance: Codable, Sendable, Hashable {
    /// The peer.
    public var peer: AuthorityID
    /// Its name from the directory, if listed.
    public var name: String?
    /// Requests this authority sent to it.
    public var sent: Int
    /// Requests it sent to this authority.
    public var received: Int
    /// Answered requests, both ways.
    public var answered: Int
    /// How fast it answers this authority's requests (cases this authority sent).
    public var theirAnswers: AnswerTimes
    /// How fast this authority answers its requests (cases it sent).
    public var ourAnswers: AnswerTimes
    /// Cases that reached level 1, level 2, and the spent ladder (3): the highest level each
    /// reached, so a case escalated and answered later still counts.
    public var escalatedToLevel: [Int]
    /// Cases awaiting their answer now, by RAG.
    public var rag: RAGCounts

    /// Answers in one direction: how many, and working hours from request to response.
    public struct AnswerTimes: Codable, Sendable, Hashable {
        /// Requests answered.
        public var answered = 0
        /// Median working hours (nil before any answer).
        public var medianWorkingHours: Double?
        /// 90th percentile (nearest rank) of the same.
        public var p90WorkingHours: Double?

        /// Summarises the working hours of each answer.
        public init(hours: [Double] = []) {
            let sorted = hours.sorted()
            answered = sorted.count
            medianWorkingHours = Self.percentile(sorted, 0.5)
            p90WorkingHours = Self.percentile(sorted, 0.9)
        }

        /// Nearest-rank percentile of sorted values.
        static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
            guard !sorted.isEmpty else { return nil }
            let rank = max(1, Int((p * Double(sorted.count)).rounded(.up)))
            return sorted[min(rank, sorted.count) - 1]
        }
    }

    /// How many cases have each RAG rating.
    public struct RAGCounts: Codable, Sendable, Hashable {
        /// On track.
        public var green = 0
        /// Due within a working day.
        public var amber = 0
        /// Overdue.
        public var red = 0

        /// Counts `count` more cases with this rating.
        public mutating func add(_ status: RAGStatus, count: Int = 1) {
            switch status {
            case .green: green += count
            case .amber: amber += count
            case .red: red += count
            }
        }
    }

    /// The CSV header for `csvRow`.
    public static let csvHeader =
        "peer,name,sent,received,answered,their_answers,their_median_working_hours,their_p90_working_hours,our_answers,our_median_working_hours,our_p90_working_hours,level1,level2,exhausted,green,amber,red"

    /// One CSV line; names are quoted, and a leading formula character is neutralised.
    public var csvRow: String {
        func field(_ text: String) -> String {
            var text = text
            if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        func hours(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "" }
        return [
            peer.rawValue, field(name ?? ""), "\(sent)", "\(received)", "\(answered)", "\(theirAnswers.answered)",
            hours(theirAnswers.medianWorkingHours), hours(theirAnswers.p90WorkingHours), "\(ourAnswers.answered)",
            hours(ourAnswers.medianWorkingHours), hours(ourAnswers.p90WorkingHours), "\(escalatedToLevel[0])",
            "\(escalatedToLevel[1])", "\(escalatedToLevel[2])",
            "\(rag.green)", "\(rag.amber)", "\(rag.red)",
        ].joined(separator: ",")
    }
}
