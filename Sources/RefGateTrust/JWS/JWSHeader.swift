/// The protected header of a refgate JWS.
public struct JWSHeader: Codable, Sendable, Hashable {
    /// Always `ES256`.
    public var alg: String
    /// base64url SHA-256 thumbprint of the signer's certificate (DER).
    public var kid: String
    /// `refgate-message+jws` for messages, `refgate-directory+jws` for the directory.
    public var typ: String

    /// Creates an ES256 header.
    public init(kid: String, typ: String) {
        self.alg = "ES256"
        self.kid = kid
        self.typ = typ
    }

    /// The `typ` of peer messages.
    public static let messageType = "refgate-message+jws"
    /// The `typ` of a signed audit tree head.
    public static let treeHeadType = "refgate-tree-head+jws"
    /// The `typ` of a signed evidence manifest.
    public static let evidenceType = "refgate-evidence+jws"
    /// The `typ` of the signed directory.
    public static let directoryType = "refgate-directory+jws"
}
