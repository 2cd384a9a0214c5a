import Crypto
import Foundation
import RefGateCore
import SwiftASN1
import X509

/// The regional certificate authority run by the coordinator: it issues each authority an
/// auth and a sign certificate and signs the directory. Keys are P-256.
public struct RegionalCA: Sendable {
    /// The CA certificate (the trust anchor every node holds).
    public let certificate: Certificate
    /// The CA private key.
    public let privateKey: P256.Signing.PrivateKey

    /// Wraps an existing CA certificate and its key.
    public init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) throws {
        guard let publicKey = P256.Signing.PublicKey(certificate.publicKey),
            publicKey.rawRepresentation == privateKey.publicKey.rawRepresentation
        else {
            throw RefGateError(.certificateInvalid, "the CA key does not belong to the CA certificate")
        }
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// How long an authority's certificates live by default, and at most: 366 days, the
    /// Mozilla "intermediate" profile's limit for leaf certificates.
    public static let leafValidity: TimeInterval = 366 * 86_400

    /// Creates a new regional CA with a fresh key.
    public static func create(region: String, now: Date, validFor: TimeInterval = 10 * 365 * 86_400) throws
        -> RegionalCA
    {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CountryName("GB")
            OrganizationName(region)
            CommonName("\(region) refgate regional CA")
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(validFor),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: .init(key))
        return try RegionalCA(certificate: certificate, privateKey: key)
    }

    /// Loads a CA from PEM files.
    public static func load(certificatePath: String, keyPath: String) throws -> RegionalCA {
        let certificate = try CertificateFile.loadCertificate(certificatePath, what: "CA certificate")
        let key = try CertificateFile.loadPrivateKey(keyPath, what: "CA key")
        return try RegionalCA(certificate: certificate, privateKey: key)
    }

    /// Issues an authority's certificate of the given kind for a public key.
    ///
    /// - Parameter host: the endpoint host (DNS name or IP address); auth certificates carry it as SAN.
    public func issue(
        _ kind: CertificateKind, authority: AuthorityID, name: String, host: String,
        publicKey: P256.Signing.PublicKey, now: Date, validFor: TimeInterval = leafValidity
    ) throws -> Certificate {
        let subject = try DistinguishedName {
            CountryName("GB")
            OrganizationName(name)
            OrganizationalUnitName(kind.rawValue)
            CommonName(authority.rawValue)
        }
        let leafKey = Certificate.PublicKey(publicKey)
        let caKeyID = SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        let extensions: Certificate.Extensions
        switch kind {
        case .auth:
            let hostName = try Self.generalName(forHost: host)
            extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames([hostName])
                SubjectKeyIdentifier(hash: leafKey)
                AuthorityKeyIdentifier(keyIdentifier: caKeyID)
            }
        case .sign:
            extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
                SubjectKeyIdentifier(hash: leafKey)
                AuthorityKeyIdentifier(keyIdentifier: caKeyID)
            }
        }
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: leafKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(validFor),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: .init(privateKey))
    }

    static func generalName(forHost host: String) throws -> GeneralName {
        if let v4 = IPv4Bytes(host) { return .ipAddress(ASN1OctetString(contentBytes: v4.bytes[...])) }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            throw RefGateError(.invalidInput, "'\(host)' is not a DNS name or IPv4 address for the certificate")
        }
        return .dnsName(host)
    }
}

/// An IPv4 address in dotted-quad form.
struct IPv4Bytes {
    let bytes: [UInt8]
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = UInt8(part), String(value) == part else { return nil }
            bytes.append(value)
        }
        self.bytes = bytes
    }
}
