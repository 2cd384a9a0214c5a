import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "After a restore, take back from every peer what it exchanged with this node since the backup.",
        discussion: """
            Run it once the restored node is running. Each peer answers with the messages it received from or sent \
            to this authority since then, signed and receipted; this node checks each as on arrival and applies it. \
            What it already holds is left alone, so running it again is harmless.
            """)

    @Option(help: "This node's configuration file.") var config: String
    @Option(help: "Ask from this time (RFC 3339), instead of an hour before the restored backup was taken.")
    var since: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var input = RecoveryInput()
        if let since {
            guard let instant = MessageCoding.parseInstant(since) else {
                throw ValidationError("--since is an RFC 3339 time, e.g. 2026-12-01T09:00:00.000Z")
            }
            input.since = instant
        }
        let report = try await APIClient(configurationPath: config).post(
            "/recovery", input, as: RecoveryReport.self)
        if json {
            print(try Printing.json(report))
            return
        }
        print(
            "asked every peer for what it exchanged with this node since \(MessageCoding.formatInstant(report.since))")
        for peer in report.peers {
            var line =
                "\(peer.peer)  applied \(peer.applied)  already held \(peer.known)  not yet receipted \(peer.unreceipted)"
            if !peer.refused.isEmpty { line += "  refused \(peer.refused.count)" }
            if let error = peer.error { line += "  NOT ASKED: \(error.escapedForDisplay())" }
            print(line)
            for refusal in peer.refused.prefix(5) { print("    refused: \(refusal.escapedForDisplay())") }
        }
    }
}
