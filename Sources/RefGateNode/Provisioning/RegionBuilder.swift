import Foundation
import RefGateCore
import RefGateTrust

/// Lays out a complete region on disk — CA, each authority's certificates, a signed directory
/// and a node configuration per authority — for the demo, development and tests.
///
/// ```
/// ROOT/ca/ca.pem, ca.key
/// ROOT/<GSS code>/auth.pem auth.key sign.pem sign.key ca.pem directory.jws node.json
/// ```
public struct RegionBuilder: Sendable {
    /// An authority of the region.
    public struct Member: Sendable {
        /// GSS code.
        public var id: AuthorityID
        /// The authority's name, as the directory lists it.
        public var name: String
        /// Host its peer API is reached at (certificate SAN).
        public var host: String
        /// Peer API port.
        public var peerPort: Int
        /// Local API port (loopback).
        public var localPort: Int

        /// Creates a member.
        public init(id: AuthorityID, name: String, host: String = "127.0.0.1", peerPort: Int, localPort: Int) {
            self.id = id
            self.name = name
            self.host = host
            self.peerPort = peerPort
            self.localPort = localPort
        }

        /// `https://host:port`.
        public var endpoint: String { "https://\(host):\(peerPort)" }
    }

    /// The region's name.
    public var region: String
    /// Its members.
    public var members: [Member]
    /// The member that holds the regional picture, if any.
    public var coordinator: AuthorityID?

    /// Creates a plan.
    public init(region: String, members: [Member], coordinator: AuthorityID? = nil) {
        self.region = region
        self.members = members
        self.coordinator = coordinator
    }

    /// Writes the region under `root` and returns each authority's configuration file path.
    /// With `localTLS`, each node serves its local API over TLS with its auth certificate.
    @discardableResult
    public func build(
        at root: String, now: Date, directoryValidity: TimeInterval = 30 * 86_400, localTLS: Bool = false
    ) throws -> [AuthorityID: String] {
        let ca = try RegionalCA.create(region: region, now: now)
        try ca.save(to: "\(root)/ca")
        var entries: [Directory.Entry] = []
        for member in members {
            let folder = "\(root)/\(member.id)"
            try AuthorityCredentials.issue(
                by: ca, authority: member.id, name: member.name, host: member.host, into: folder, now: now)
            entries.append(
                try AuthorityCredentials.directoryEntry(
                    authority: member.id, name: member.name, endpoint: member.endpoint, folder: folder))
        }
        let directory = Directory(
            region: region, version: 1, issuedAt: now, expiresAt: now.addingTimeInterval(directoryValidity),
            authorities: entries, coordinator: coordinator)
        let signed = try directory.signed(by: ca).compact
        try PEMFile.writePublic(signed + "\n", to: "\(root)/directory.jws")
        var paths: [AuthorityID: String] = [:]
        for member in members {
            let folder = "\(root)/\(member.id)"
            try PEMFile.writePublic(try CertificateFile.pem(ca.certificate), to: "\(folder)/ca.pem")
            try PEMFile.writePublic(signed + "\n", to: "\(folder)/directory.jws")
            var configuration = NodeConfiguration(
                authority: member.id, name: member.name,
                peerListener: .init(host: member.host, port: member.peerPort),
                localListener: .init(host: "127.0.0.1", port: member.localPort), adminTokenFile: "admin.token",
                directory: "directory.jws", caCertificate: "ca.pem",
                authCertificate: AuthorityCredentials.authCertificateFile,
                authKey: AuthorityCredentials.authKeyFile,
                signCertificate: AuthorityCredentials.signCertificateFile,
                signKey: AuthorityCredentials.signKeyFile, database: "refgate.sqlite")
            if localTLS { configuration.localTLS = .init() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let path = "\(folder)/node.json"
            try PEMFile.writePublic(String(decoding: try encoder.encode(configuration), as: UTF8.self) + "\n", to: path)
            paths[member.id] = path
        }
        return paths
    }
}
