import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode

extension PKICommand {
    /// A complete development region in one step (tests, drills, the fault harness).
    struct DevRegion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dev-region",
            abstract:
                "Write a development region: CA, each authority's keys and certificates, a signed directory and a node.json each (free loopback ports).",
            discussion: "Prints one line per authority: its GSS code and the path of its node.json.")

        @Option(help: "Folder to write the region into (must not exist yet).") var out: String
        @Option(
            name: .customLong("authority"),
            help: "GSS=Name, repeatable (default: Manchester E08000003 and Salford E08000006).")
        var authorities: [String] = []
        @Option(help: "Host each peer API listens on and is reached at (certificate SAN).") var host = "127.0.0.1"
        @Option(help: "Directory validity in days.") var days = 30

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw RefGateError(.invalidInput, "\(out) exists already: name a new folder")
            }
            let pairs =
                authorities.isEmpty
                ? ["E08000003=Manchester City Council", "E08000006=Salford City Council"] : authorities
            let members = try pairs.map { pair -> RegionBuilder.Member in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[1].isEmpty else {
                    throw RefGateError(
                        .invalidInput, "--authority takes GSS=Name, e.g. E08000003=Manchester City Council")
                }
                return .init(
                    id: try AuthorityID(validating: parts[0]), name: parts[1], host: host, peerPort: FreePort.next(),
                    adminPort: FreePort.next())
            }
            let paths = try RegionBuilder(region: "Development", members: members).build(
                at: out, now: Date(), directoryValidity: TimeInterval(days) * 86_400)
            for member in members { print("\(member.id) \(paths[member.id]!)") }
        }
    }
}
