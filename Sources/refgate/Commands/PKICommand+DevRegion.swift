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
        @Option(
            help:
                "Host a peer API listens on and is reached at (certificate SAN): ADDR for every authority, or GSS=ADDR for one; repeatable (default 127.0.0.1)."
        )
        var host: [String] = []
        @Option(help: "Directory validity in days.") var days = 30

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw RefGateError(.invalidInput, "\(out) exists already: name a new folder")
            }
            let pairs =
                authorities.isEmpty
                ? ["E08000003=Manchester City Council", "E08000006=Salford City Council"] : authorities
            let hosts = try hostsByAuthority()
            let members = try pairs.map { pair -> RegionBuilder.Member in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[1].isEmpty else {
                    throw RefGateError(
                        .invalidInput, "--authority takes GSS=Name, e.g. E08000003=Manchester City Council")
                }
                let id = try AuthorityID(validating: parts[0])
                return .init(
                    id: id, name: parts[1], host: hosts[id.rawValue] ?? hosts[""] ?? "127.0.0.1",
                    peerPort: FreePort.next(), localPort: FreePort.next())
            }
            for key in hosts.keys where !key.isEmpty && !members.contains(where: { $0.id.rawValue == key }) {
                throw RefGateError(.invalidInput, "--host \(key)=…: \(key) is not an authority of this region")
            }
            let paths = try RegionBuilder(region: "Development", members: members, coordinator: members.first?.id)
                .build(
                    at: out, now: Date(), directoryValidity: TimeInterval(days) * 86_400, localTLS: true)
            for member in members { print("\(member.id) \(paths[member.id]!)") }
        }

        /// `--host` values by GSS code; the key "" holds the one for every authority.
        private func hostsByAuthority() throws -> [String: String] {
            var hosts: [String: String] = [:]
            for value in host {
                let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(
                    String.init)
                let (key, address) = parts.count == 2 ? (parts[0], parts[1]) : ("", value)
                guard !address.isEmpty else {
                    throw RefGateError(.invalidInput, "--host takes ADDR or GSS=ADDR, e.g. E08000006=10.213.0.2")
                }
                if !key.isEmpty { _ = try AuthorityID(validating: key) }
                hosts[key] = address
            }
            return hosts
        }
    }
}
