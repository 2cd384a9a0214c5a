import Crypto
import Foundation
import RefGateCore
import X509

/// Signs this node's outgoing messages and receipts with its sign key.
public struct MessageSigner: Sendable {
    /// The sign certificate.
    public let certificate: Certificate
    private let key: P256.Signing.PrivateKey
    /// The `kid` of every JWS this signer makes.
    public let kid: String
    /// The protected header of every message JWS, encoded once: it never changes.
    private let encodedHeader: String

    /// Creates a signer; throws if the key does not belong to the certificate.
    public init(certificate: Certificate, key: P256.Signing.PrivateKey) throws {
        guard let publicKey = P256.Signing.PublicKey(certificate.publicKey),
            publicKey.rawRepresentation == key.publicKey.rawRepresentation
        else {
            throw RefGateError(.certificateInvalid, "the sign key does not belong to the sign certificate")
        }
        self.certificate = certificate
        self.key = key
        self.kid = try Thumbprint.of(certificate)
        self.encodedHeader = try JWS.encodedHeader(JWSHeader(kid: kid, typ: JWSHeader.messageType))
    }

    /// Encodes and signs a message.
    public func sign<Message: Encodable>(_ message: Message) throws -> JWS {
        try sign(payload: try MessageCoding.encoder().encode(message))
    }

    /// Signs a message already encoded (and checked against its schema) by the caller, so it is
    /// encoded once: the bytes checked are the bytes signed.
    public func sign(payload: Data) throws -> JWS {
        try JWS.sign(
            payload: payload, header: JWSHeader(kid: kid, typ: JWSHeader.messageType), encodedHeader: encodedHeader,
            key: key)
    }

    /// Signs a tree head of this node's audit log (`typ` `refgate-tree-head+jws`).
    public func sign(treeHead: TreeHead) throws -> JWS {
        try JWS.sign(
            payload: try MessageCoding.encoder().encode(treeHead),
            header: JWSHeader(kid: kid, typ: JWSHeader.treeHeadType), key: key)
    }

    /// Signs an evidence bundle's manifest: the payload is exactly `manifest`'s bytes.
    public func sign(manifest: Data) throws -> JWS {
        try JWS.sign(payload: manifest, header: JWSHeader(kid: kid, typ: JWSHeader.evidenceType), key: key)
    }

    /// A 256-bit secret for `purpose`, derived from the sign key with HKDF-SHA256, so a secret
    /// the node needs on every instance is as safe as its key and never stored (a different
    /// purpose gives an unrelated secret; a new sign key, new secrets).
    public func derivedSecret(purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: key.rawRepresentation), info: Data(purpose.utf8), outputByteCount: 32)
    }
}
