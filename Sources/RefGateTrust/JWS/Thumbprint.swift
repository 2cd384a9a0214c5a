import Crypto
import Foundation
import SwiftASN1
import X509

/// SHA-256 thumbprints, base64url: JWS `kid`, directory fingerprints, message digests.
public enum Thumbprint {
    /// base64url SHA-256 of bytes.
    public static func sha256<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        Base64URL.encode(Data(SHA256.hash(data: bytes)))
    }

    /// base64url SHA-256 of a certificate's DER encoding.
    public static func of(_ certificate: Certificate) throws -> String {
        sha256(try certificate.derBytes())
    }
}

extension Certificate {
    /// The certificate's DER encoding.
    public func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
