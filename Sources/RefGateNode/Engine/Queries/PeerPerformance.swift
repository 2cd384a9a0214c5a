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
    /// Median working hours from request to response, both ways (nil before any answer).
    public var medianWorkingHours: Double?
    /// 90th percentile of the same.
    public var p90WorkingHours: Double?
    /// Cases that reached level 1, level 2, and the spent ladder (3).
    public var escalatedToLevel: [Int]
    /// Cases awaiting their answer now, by RAG.
    public var rag: RAGCounts

    /// How many cases have each RAG rating.
    public struct RAGCounts: Codable, Sendable, Hashable {
        /// On track.
        public var green = 0
        /// Due within a working day.
        public var amber = 0
        /// Overdue.
        public var red = 0

        /// Counts one more case with this rating.
        public mutating func add(_ status: RAGStatus) {
            switch status {
            case .green: green += 1
            case .amber: amber += 1
            case .red: red += 1
            }
        }
    }

    /// The CSV header for `csvRow`.
    public static let csvHeader =
        "peer,name,sent,received,answered,median_working_hours,p90_working_hours,level1,level2,exhausted,green,amber,red"

    /// One CSV line; names are quoted, and a leading formula character is neutralised.
    public var csvRow: String {
        func field(_ text: String) -> String {
            var text = text
            if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        func hours(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "" }
        return [
            peer.rawValue, field(name ?? ""), "\(sent)", "\(received)", "\(answered)", hours(medianWorkingHours),
            hours(p90WorkingHours), "\(escalatedToLevel[0])", "\(escalatedToLevel[1])", "\(escalatedToLevel[2])",
            "\(rag.green)", "\(rag.amber)", "\(rag.red)",
        ].joined(separator: ",")
    }
}
