import Crypto
import Foundation
import RefGateCore
import SwiftASN1
import X509

/// Certificate enrolment with PKCS#10 requests, so an authority's private keys never leave it:
/// the authority makes its keys and two requests (`makeRequests`), the coordinator checks each
/// request and issues its certificate (`RegionalCA.issue(from:now:validFor:)`).
public enum Enrolment {
    /// Request file names, beside the keys.
    public static func requestFile(_ kind: CertificateKind) -> String { "\(kind.rawValue).csr" }

    /// Makes the authority's auth and sign keys (0600) and a signed request for each
    /// (`auth.csr`, `sign.csr`) in `folder`. The auth request asks for `host` as its SAN.
    public static func makeRequests(authority: AuthorityID, name: String, host: String, into folder: String) throws {
        let hostName = try RegionalCA.generalName(forHost: host)
        for kind in CertificateKind.allCases {
            let key = P256.Signing.PrivateKey()
            let subject = try DistinguishedName {
                CountryName("GB")
                OrganizationName(name)
                OrganizationalUnitName(kind.rawValue)
                CommonName(authority.rawValue)
            }
            var attributes = CertificateSigningRequest.Attributes()
            if kind == .auth {
                attributes.insert(
                    try CertificateSigningRequest.Attribute(
                        ExtensionRequest(
                            extensions: try Certificate.Extensions { SubjectAlternativeNames([hostName]) })))
            }
            let request = try CertificateSigningRequest(
                version: .v1, subject: subject, privateKey: .init(key), attributes: attributes,
                signatureAlgorithm: .ecdsaWithSHA256)
            let keyFile = kind == .auth ? AuthorityCredentials.authKeyFile : AuthorityCredentials.signKeyFile
            try PEMFile.writePrivateKey(key.pemRepresentation + "\n", to: "\(folder)/\(keyFile)")
            try PEMFile.writePublic(
                try request.serializeAsPEM().pemString + "\n", to: "\(folder)/\(requestFile(kind))")
        }
    }

    /// What a checked request asks for.
    public struct Request: Sendable {
        /// Auth or sign.
        public var kind: CertificateKind
        /// The authority (the subject's CN, a GSS code).
        public var authority: AuthorityID
        /// Its name (the subject's O).
        public var name: String
        /// The host an auth certificate names (from the request's SAN); nil for sign.
        public var host: String?
        /// The key to certify.
        public var publicKey: P256.Signing.PublicKey
    }

    /// Parses and checks a PEM request: signed by the key it carries (proof the requester holds
    /// it), a P-256 key, subject `C=GB, O=<name>, OU=auth|sign, CN=<GSS code>`, and for auth one
    /// SAN. Throws `invalid-input` saying what is wrong.
    public static func check(pem: String) throws -> Request {
        let request: CertificateSigningRequest
        do {
            request = try CertificateSigningRequest(pemEncoded: pem)
        } catch {
            throw RefGateError(.invalidInput, "not a PEM certificate signing request (PKCS#10): \(error)")
        }
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw RefGateError(.invalidInput, "the request's signature does not verify with the key it carries")
        }
        guard let key = P256.Signing.PublicKey(request.publicKey) else {
            throw RefGateError(.invalidInput, "the request's key is not P-256")
        }
        func single(_ oid: ASN1ObjectIdentifier) -> String? {
            let values = request.subject.flatMap { $0 }.filter { $0.type == oid }.compactMap { String($0.value) }
            return values.count == 1 ? values[0] : nil
        }
        let cn = single(.RDNAttributeType.commonName)
        let ou = single(.RDNAttributeType.organizationalUnitName)
        let o = single(.RDNAttributeType.organizationName)
        guard let cn, let authority = AuthorityID(rawValue: cn) else {
            throw RefGateError(
                .invalidInput, "the request's subject CN must be the authority's GSS code, e.g. E08000003")
        }
        guard let ou, let kind = CertificateKind(rawValue: ou) else {
            throw RefGateError(.invalidInput, "the request's subject OU must be auth or sign")
        }
        guard let o, !o.isEmpty else {
            throw RefGateError(.invalidInput, "the request's subject O must be the authority's name")
        }
        var host: String?
        if kind == .auth {
            let names = (try? request.attributes.extensionRequest?.extensions.subjectAlternativeNames) ?? nil
            guard let names, names.count == 1 else {
                throw RefGateError(.invalidInput, "an auth request must ask for exactly one host name (SAN)")
            }
            switch names[0] {
            case .dnsName(let name): host = name
            case .ipAddress(let bytes) where bytes.bytes.count == 4:
                host = bytes.bytes.map(String.init).joined(separator: ".")
            default: throw RefGateError(.invalidInput, "an auth request's SAN must be a DNS name or IPv4 address")
            }
        }
        return Request(kind: kind, authority: authority, name: o, host: host, publicKey: key)
    }
}

extension RegionalCA {
    /// Issues the certificate a checked request asks for (`Enrolment.check`).
    public func issue(from request: Enrolment.Request, now: Date, validFor: TimeInterval = leafValidity) throws
        -> Certificate
    {
        try issue(
            request.kind, authority: request.authority, name: request.name, host: request.host ?? "",
            publicKey: request.publicKey, now: now, validFor: validFor)
    }
}
