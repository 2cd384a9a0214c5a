import Crypto
import Foundation
import RefGateCore
import X509

/// The files an authority's node holds: auth and sign certificates with their keys.
public enum AuthorityCredentials {
    /// Auth certificate file name.
    public static let authCertificateFile = "auth.pem"
    /// Auth key file name (0600).
    public static let authKeyFile = "auth.key"
    /// Sign certificate file name.
    public static let signCertificateFile = "sign.pem"
    /// Sign key file name (0600).
    public static let signKeyFile = "sign.key"

    /// Generates two P-256 keys, has the CA issue the auth and sign certificates, and writes all
    /// four files into `folder` (keys 0600).
    public static func issue(
        by ca: RegionalCA, authority: AuthorityID, name: String, host: String, into folder: String, now: Date,
        validFor: TimeInterval = RegionalCA.leafValidity
    ) throws {
        for kind in CertificateKind.allCases {
            let key = P256.Signing.PrivateKey()
            let certificate = try ca.issue(
                kind, authority: authority, name: name, host: host, publicKey: key.publicKey, now: now,
                validFor: validFor)
            let (certificateFile, keyFile) =
                kind == .auth ? (authCertificateFile, authKeyFile) : (signCertificateFile, signKeyFile)
            try PEMFile.writePrivateKey(key.pemRepresentation + "\n", to: "\(folder)/\(keyFile)")
            try PEMFile.writePublic(try CertificateFile.pem(certificate), to: "\(folder)/\(certificateFile)")
        }
    }

    /// A directory entry for an authority whose certificates are in `folder`.
    public static func directoryEntry(
        authority: AuthorityID, name: String, endpoint: String, folder: String
    ) throws -> Directory.Entry {
        Directory.Entry(
            id: authority, name: name, endpoint: endpoint,
            authCertificate: try PEMFile.read("\(folder)/\(authCertificateFile)", what: "auth certificate"),
            signCertificate: try PEMFile.read("\(folder)/\(signCertificateFile)", what: "sign certificate"))
    }
}
