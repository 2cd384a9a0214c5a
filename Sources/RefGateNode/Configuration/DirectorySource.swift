import Foundation

/// Where the coordinator publishes the signed directory (`directorySources` in the node
/// configuration): any HTTPS URL (`refgate directory publish` writes what a static web server
/// needs), or a refgate node's `/peer/v1/directory`.
public struct DirectorySource: Codable, Sendable, Hashable {
    /// The URL of the compact JWS.
    public var url: String
    /// PEM CA file for the host; nil uses the system's trust store. A refgate node's peer API
    /// needs the regional CA (the node presents its auth certificate).
    public var caCertificate: String?

    /// Creates a source.
    public init(url: String, caCertificate: String? = nil) {
        self.url = url
        self.caCertificate = caCertificate
    }
}
