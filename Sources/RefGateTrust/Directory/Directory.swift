import Foundation
import RefGateCore

/// The regional directory of member authorities, signed by the regional CA (DESIGN §4).
public struct Directory: Codable, Sendable, Hashable {
    /// Always `directory`.
    public var type: String = "directory"
    /// The region's name.
    public var region: String
    /// Monotonic version; nodes refuse one older than they hold.
    public var version: Int
    /// When the coordinator issued it.
    public var issuedAt: Date
    /// After this, nodes refuse it.
    public var expiresAt: Date
    /// Member authorities.
    public var authorities: [Entry]
    /// Thumbprints of revoked certificates.
    public var revokedCertificates: [String]
    /// The member that receives the region's figures and holds the regional picture (release
    /// 1.3.0 on; absent, nobody does and nodes send no figures).
    public var coordinator: AuthorityID?

    /// Creates a directory.
    public init(
        region: String, version: Int, issuedAt: Date, expiresAt: Date, authorities: [Entry],
        revokedCertificates: [String] = [], coordinator: AuthorityID? = nil
    ) {
        self.region = region
        self.version = version
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.authorities = authorities
        self.revokedCertificates = revokedCertificates
        self.coordinator = coordinator
    }

    /// One member authority.
    public struct Entry: Codable, Sendable, Hashable {
        /// GSS code.
        public var id: AuthorityID
        /// Name, e.g. "Manchester City Council".
        public var name: String
        /// Base URL of the node's peer API, e.g. `https://refgate.manchester.gov.uk:8443`.
        public var endpoint: String
        /// PEM auth certificate.
        public var authCertificate: String
        /// PEM sign certificate.
        public var signCertificate: String
        /// While the authority rotates its keys: its next auth certificate (PEM), accepted
        /// beside the current one until a later version makes it current.
        public var nextAuthCertificate: String?
        /// While the authority rotates its keys: its next sign certificate (PEM).
        public var nextSignCertificate: String?

        /// Creates an entry.
        public init(
            id: AuthorityID, name: String, endpoint: String, authCertificate: String, signCertificate: String,
            nextAuthCertificate: String? = nil, nextSignCertificate: String? = nil
        ) {
            self.id = id
            self.name = name
            self.endpoint = endpoint
            self.authCertificate = authCertificate
            self.signCertificate = signCertificate
            self.nextAuthCertificate = nextAuthCertificate
            self.nextSignCertificate = nextSignCertificate
        }
    }
}
