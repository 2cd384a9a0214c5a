import Foundation
import RefGateCore
import RefGateTestSupport
import RefGateTransport
import RefGateTrust

/// A regional CA, a client authority and a server, written to a temporary folder, plus a
/// foreign CA with its own client and server for the negative cases.
struct TransportFixture {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder("refgate-transport")
        let now = Date()
        let ca = try RegionalCA.create(region: "North West", now: now)
        try ca.save(to: folder.file("ca"))
        try AuthorityCredentials.issue(
            by: ca, authority: AuthorityID(rawValue: "E08000003")!, name: "Client", host: "127.0.0.1",
            into: folder.file("client"), now: now)
        try AuthorityCredentials.issue(
            by: ca, authority: AuthorityID(rawValue: "E08000006")!, name: "Server", host: "127.0.0.1",
            into: folder.file("server"), now: now)
        let foreign = try RegionalCA.create(region: "Elsewhere", now: now)
        try foreign.save(to: folder.file("foreign"))
        try AuthorityCredentials.issue(
            by: foreign, authority: AuthorityID(rawValue: "E08000003")!, name: "Impostor", host: "127.0.0.1",
            into: folder.file("foreign-client"), now: now)
        try AuthorityCredentials.issue(
            by: foreign, authority: AuthorityID(rawValue: "E08000006")!, name: "Impostor", host: "127.0.0.1",
            into: folder.file("foreign-server"), now: now)
    }

    /// Starts the Python peer with the given server credentials and returns it with its base URL.
    func startPeer(server: String = "server", requireClientCert: Bool = true, maxTLS: String = "1.3") async throws
        -> (BackgroundProcess, String)
    {
        let portFile = folder.file("port-\(UUID().uuidString)")
        var arguments = [
            "python3", "\(ExternalTool.interopFolder)/tls_peer.py", "--cert", folder.file("\(server)/auth.pem"),
            "--key",
            folder.file("\(server)/auth.key"), "--ca", folder.file("ca/ca.pem"), "--max-tls", maxTLS,
            "--port-file", portFile,
        ]
        if requireClientCert { arguments.append("--require-client-cert") }
        let peer = try BackgroundProcess(arguments)
        let port = try await peer.waitForFile(portFile)
        return (peer, "https://127.0.0.1:\(port)")
    }

    func client(
        identity: String = "client", totalTimeout: Duration = .seconds(10), maxResponseBytes: Int = 1 << 20
    ) throws -> CurlHTTPClient {
        try CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                tls: .init(
                    caCertificatePath: folder.file("ca/ca.pem"),
                    clientCertificatePath: folder.file("\(identity)/auth.pem"),
                    clientKeyPath: folder.file("\(identity)/auth.key")),
                connectTimeout: .seconds(5), totalTimeout: totalTimeout, maxResponseBytes: maxResponseBytes))
    }
}
