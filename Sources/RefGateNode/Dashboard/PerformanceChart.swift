import Foundation

/// The regional performance chart: one horizontal bar per authority, its length the median
/// working hours it took to answer this authority's requests, with a tick at the 90th percentile. Inline SVG, so the page needs
/// no script; every name is escaped, and the chart has a title and a text alternative.
enum PerformanceChart {
    static func svg(_ rows: [PeerPerformance]) -> String {
        let answered = rows.filter { $0.theirAnswers.medianWorkingHours != nil }
        guard !answered.isEmpty else {
            return "<p>No answers yet, so no chart.</p>"
        }
        let barHeight = 22.0
        let labelWidth = 340.0
        let width = 900.0
        let plot = width - labelWidth - 60
        let maximum = max(
            answered.compactMap { $0.theirAnswers.p90WorkingHours ?? $0.theirAnswers.medianWorkingHours }.max() ?? 1, 1)
        let height = Double(answered.count) * (barHeight + 8) + 40
        var parts: [String] = [
            """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Arial, sans-serif" font-size="14">
            <title id="chart-title">Median and 90th percentile working hours each authority took to answer our requests</title>
            """
        ]
        for (index, row) in answered.enumerated() {
            let y = Double(index) * (barHeight + 8) + 10
            let median = row.theirAnswers.medianWorkingHours ?? 0
            let p90 = row.theirAnswers.p90WorkingHours ?? median
            let length = max(plot * median / maximum, 1)
            let tick = labelWidth + plot * p90 / maximum
            let name = escape(row.name ?? row.peer.rawValue)
            parts.append(
                """
                <text x="\(Int(labelWidth - 8))" y="\(format(y + 16))" text-anchor="end">\(name)</text>
                <rect x="\(Int(labelWidth))" y="\(format(y))" width="\(format(length))" height="\(Int(barHeight))" fill="#1d70b8"><title>\(name): median \(format(median)) h, 90th percentile \(format(p90)) h</title></rect>
                <line x1="\(format(tick))" x2="\(format(tick))" y1="\(format(y - 2))" y2="\(format(y + barHeight + 2))" stroke="#0b0c0c" stroke-width="3"/>
                <text x="\(format(tick + 6))" y="\(format(y + 16))">\(format(median)) h</text>
                """)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// "12.5 (30.0) of 4", or a dash before any answer.
    static func summary(_ times: PeerPerformance.AnswerTimes) -> String {
        guard let median = times.medianWorkingHours else { return "–" }
        return "\(format(median)) (\(format(times.p90WorkingHours ?? median))) of \(times.answered)"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
