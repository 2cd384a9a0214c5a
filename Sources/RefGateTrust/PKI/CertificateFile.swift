import Crypto
import Foundation
import RefGateCore
import X509

/// Loading certificates and keys from PEM files with errors that say which file is wrong.
public enum CertificateFile {
    /// Loads one PEM certificate.
    public static func loadCertificate(_ path: String, what: String) throws -> Certificate {
        let text = try PEMFile.read(path, what: what)
        do {
            return try Certificate(pemEncoded: text)
        } catch {
            throw RefGateError(.certificateInvalid, "\(what) at \(path) is not a PEM certificate: \(error)")
        }
    }

    /// Loads a PEM P-256 private key (PKCS#8 or SEC1).
    public static func loadPrivateKey(_ path: String, what: String) throws -> P256.Signing.PrivateKey {
        let text = try PEMFile.readSecret(path, what: what)
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: text)
        } catch {
            throw RefGateError(.certificateInvalid, "\(what) at \(path) is not a PEM P-256 private key: \(error)")
        }
    }

    /// A certificate as PEM text.
    public static func pem(_ certificate: Certificate) throws -> String {
        try certificate.serializeAsPEM().pemString + "\n"
    }
}
