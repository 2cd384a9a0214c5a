import Foundation
import HTTPTypes
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust
import X509

/// What one peer answered when asked for the heads of this log it witnessed.
public struct WitnessAnswer: Codable, Sendable, Hashable {
    /// The peer.
    public var peer: AuthorityID
    /// Heads it holds (0 when it could not be asked).
    public var heads: Int
    /// Why it could not be asked, if it could not.
    public var error: String?

    /// Creates an answer.
    public init(peer: AuthorityID, heads: Int, error: String?) {
        self.peer = peer
        self.heads = heads
        self.error = error
    }
}

/// `refgate audit verify`: checks a node's log straight from its database (not through the
/// running node, whose word is what is being checked), and optionally against the heads its
/// peers witnessed, fetched over the mutual-TLS peer API.
public enum AuditCheck {
    /// Verifies the log of the node configured by `configuration`.
    public static func run(
        configuration: NodeConfiguration, peerCheckpoints: Bool, logger: Logger
    ) async throws -> (AuditReport, [WitnessAnswer]) {
        let store = try Store(configuration.database, logger: logger)
        let certificates = try signCertificates(configuration: configuration, store: store)
        let verifier = try AuditVerifier(authority: configuration.authority, signCertificates: certificates)
        var witnessed: [String] = []
        var answers: [WitnessAnswer] = []
        if peerCheckpoints {
            (witnessed, answers) = try await fetchWitnessed(configuration: configuration, store: store, logger: logger)
        }
        let heads = witnessed
        let report = try await store.read { try verifier.verify($0, witnessed: heads) }
        return (report, answers)
    }

    /// This authority's sign certificates: the configured one and every one listed for it in
    /// the directory versions the node installed (so heads signed before a rotation verify).
    static func signCertificates(configuration: NodeConfiguration, store: Store) throws -> [Certificate] {
        var certificates = [
            try CertificateFile.loadCertificate(configuration.signCertificate, what: "sign certificate")
        ]
        let versions = try store.readSync { try $0.directoryVersions() }
        for version in versions {
            guard let signed = version.signed,
                let jws = try? JWS(compact: String(decoding: signed, as: UTF8.self)),
                let directory = try? MessageCoding.decoder().decode(Directory.self, from: jws.payload),
                let entry = directory.authorities.first(where: { $0.id == configuration.authority })
            else { continue }
            for pem in [entry.signCertificate, entry.nextSignCertificate].compactMap({ $0 }) {
                if let certificate = try? Certificate(pemEncoded: pem) { certificates.append(certificate) }
            }
        }
        return certificates
    }

    /// Asks every peer this node exchanges with for the heads of its log that peer holds.
    static func fetchWitnessed(
        configuration: NodeConfiguration, store: Store, logger: Logger
    ) async throws -> ([String], [WitnessAnswer]) {
        // The directory as the node trusts it: verified against the regional CA, so the pins
        // below are the ones the region published, not whatever a file on disk says.
        let compact = try PEMFile.read(configuration.directory, what: "directory")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let anchor = try CertificateFile.loadCertificate(configuration.caCertificate, what: "regional CA certificate")
        let directory = try await TrustedDirectory.verify(compact: compact, anchor: anchor, now: Date())
        try PEMFile.checkPrivate(configuration.authKey, what: "auth key")
        let peers = try await store.read { try $0.exchangePeers() }
        let client = try CurlHTTPClient(
            configuration: HTTPClientConfiguration(
                tls: .init(
                    caCertificatePath: configuration.caCertificate,
                    clientCertificatePath: configuration.authCertificate, clientKeyPath: configuration.authKey),
                totalTimeout: .seconds(30)),
            logger: logger)
        var heads: [String] = []
        var answers: [WitnessAnswer] = []
        for peer in peers {
            guard let member = directory.member(peer) else {
                answers.append(WitnessAnswer(peer: peer, heads: 0, error: "not in the directory"))
                continue
            }
            do {
                // As delivery does: the CA chain and the auth key the directory lists for it.
                let response = try await client.sendExpectingSuccess(
                    url: member.entry.endpoint + "/peer/v1/checkpoints", headerFields: [.accept: "application/json"],
                    pinnedPublicKey: member.authPins)
                let answer = try MessageCoding.decoder().decode(WitnessedHeads.self, from: response.body)
                heads += answer.treeHeads
                answers.append(WitnessAnswer(peer: peer, heads: answer.treeHeads.count, error: nil))
            } catch {
                answers.append(WitnessAnswer(peer: peer, heads: 0, error: "\(error)"))
            }
        }
        await client.shutdown()
        return (heads, answers)
    }
}
