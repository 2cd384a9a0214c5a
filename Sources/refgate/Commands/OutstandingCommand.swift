import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

struct OutstandingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outstanding",
        abstract: "The operator's table: requests awaiting an answer in both directions, most urgent first.",
        discussion: """
            RAG: red overdue (or the ladder is spent), amber due within a working day, green on track. \
            Time left is working time (working days of the node's calendar, then hours).
            """)

    @Option(help: "This node's configuration file.") var config: String
    @Option(
        help: "Only sent or received requests.",
        transform: {
            guard let side = CaseSide(direction: $0) else {
                throw ValidationError("--direction is sent or received, not '\($0)'")
            }
            return side
        }) var direction: CaseSide?
    @Option(help: "Only red, amber or green.") var rag: RAGStatus?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let all = try await APIClient(configurationPath: config).get("/outstanding", as: [OutstandingCase].self)
        let rows = all.filter { (direction == nil || $0.side == direction) && (rag == nil || $0.rag == rag) }
        if json {
            print(try Printing.json(rows))
            return
        }
        if rows.isEmpty {
            print("nothing outstanding")
            return
        }
        let header = ["RAG", "DIRECTION", "PEER", "CASE", "CANDIDATE", "LEVEL", "DUE", "WORKING TIME"]
        let lines = rows.map { row in
            [
                row.rag.rawValue.uppercased(), row.side.direction, row.peer.rawValue, row.caseID,
                row.candidateName.escapedForDisplay(), Self.level(row.escalationLevel),
                MessageCoding.formatInstant(row.dueAt), Self.left(row.workingSecondsLeft),
            ]
        }
        let widths = header.indices.map { column in ([header] + lines).map { $0[column].count }.max() ?? 0 }
        for line in [header] + lines {
            print(
                zip(line, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        let red = rows.filter { $0.rag == .red }.count
        let amber = rows.filter { $0.rag == .amber }.count
        print("\(rows.count) outstanding: \(red) red, \(amber) amber, \(rows.count - red - amber) green")
    }

    static func level(_ level: Int) -> String {
        switch level {
        case 0: "-"
        case 1: "L1 service manager"
        case 2: "L2 head of service"
        default: "ladder spent"
        }
    }

    /// Working time as hours and minutes: "6h 30m left", or "overdue 2h 05m".
    static func left(_ seconds: Double) -> String {
        let minutes = Int((abs(seconds) / 60).rounded())
        let text = "\(minutes / 60)h \(String(format: "%02d", minutes % 60))m"
        return seconds <= 0 ? "overdue \(text)" : "\(text) left"
    }
}

extension RAGStatus: ExpressibleByArgument {}
