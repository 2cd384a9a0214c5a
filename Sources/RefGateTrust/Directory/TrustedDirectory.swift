import Crypto
import Foundation
import RefGateCore
import X509

/// A directory that passed verification, indexed for the checks a node makes on every message.
public struct TrustedDirectory: Sendable {
    /// The directory.
    public let directory: Directory
    /// The signed directory exactly as verified.
    public let jws: JWS
    /// The regional CA certificate it was verified against.
    public let anchor: Certificate
    private let members: [AuthorityID: Member]
    /// Members left out because a certificate of theirs does not parse or does not validate
    /// (lapsed, not yet valid, wrong CA or usage), with why: one member's bad certificate
    /// excludes that member, not the whole region.
    public let excluded: [AuthorityID: String]
    private let byAuthThumbprint: [String: AuthorityID]
    private let bySignThumbprint: [String: AuthorityID]

    /// A member authority with its parsed certificates.
    public struct Member: Sendable {
        /// The directory entry.
        public let entry: Directory.Entry
        /// The auth certificate.
        public let authCertificate: Certificate
        /// The sign certificate.
        public let signCertificate: Certificate
        /// SHA-256 thumbprint of the auth certificate.
        public let authThumbprint: String
        /// SHA-256 thumbprint of the sign certificate: the `kid` of its messages.
        public let signThumbprint: String
        /// The key that verifies its messages.
        public let signingKey: P256.Signing.PublicKey
        /// libcurl's pin for its auth certificate's key: `sha256//` and the base64 SHA-256 of the
        /// SubjectPublicKeyInfo. Outbound TLS to this member accepts only that key.
        public let authPin: String
        /// Whether the directory revokes its auth certificate.
        public let authRevoked: Bool
        /// The GSS code.
        public var id: AuthorityID { entry.id }

        /// Why nothing may be sent to this member at `now` (its auth certificate is revoked,
        /// expired or not yet valid), or nil when it may receive.
        public func refusalToReceive(at now: Date) -> String? {
            if authRevoked { return "the auth certificate of \(id) is revoked in the directory" }
            if now < authCertificate.notValidBefore { return "the auth certificate of \(id) is not valid yet" }
            if now > authCertificate.notValidAfter { return "the auth certificate of \(id) has expired" }
            return nil
        }
    }

    /// Verifies a signed directory: CA signature, schema, freshness, rollback, and every certificate's chain.
    ///
    /// - Parameter heldVersion: the version the node already holds; an older one is refused as a rollback.
    public static func verify(
        compact: String, anchor: Certificate, now: Date, heldVersion: Int? = nil
    ) async throws -> TrustedDirectory {
        let jws: JWS
        do { jws = try JWS(compact: compact) } catch let error as RefGateError {
            throw RefGateError(.directoryInvalid, "the directory is not a JWS: \(error.detail)")
        }
        guard jws.header.typ == JWSHeader.directoryType else {
            throw RefGateError(.directoryInvalid, "JWS typ is \(jws.header.typ), expected \(JWSHeader.directoryType)")
        }
        guard jws.header.kid == (try Thumbprint.of(anchor)), let caKey = P256.Signing.PublicKey(anchor.publicKey),
            jws.isValid(for: caKey)
        else {
            throw RefGateError(.directoryInvalid, "the directory is not signed by the regional CA this node trusts")
        }
        do {
            try SchemaValidator.shared.validate(json: jws.payload, against: "directory.schema.json")
        } catch let error as RefGateError {
            throw RefGateError(.directoryInvalid, "the directory does not match its schema: \(error.detail)")
        }
        let directory = try MessageCoding.decoder().decode(Directory.self, from: jws.payload)
        guard now < directory.expiresAt else {
            throw RefGateError(
                .directoryExpired,
                "directory version \(directory.version) expired at \(MessageCoding.formatInstant(directory.expiresAt)); ask the regional coordinator for a current one"
            )
        }
        if let heldVersion, directory.version < heldVersion {
            throw RefGateError(
                .directoryRollback,
                "directory version \(directory.version) is older than the version \(heldVersion) this node holds")
        }
        let revoked = Set(directory.revokedCertificates)
        var members: [AuthorityID: Member] = [:]
        var byAuth: [String: AuthorityID] = [:]
        var bySign: [String: AuthorityID] = [:]
        var excluded: [AuthorityID: String] = [:]
        for entry in directory.authorities {
            guard members[entry.id] == nil, excluded[entry.id] == nil else {
                throw RefGateError(.directoryInvalid, "authority \(entry.id) appears twice")
            }
            let member: Member
            do {
                member = try await Self.member(entry, anchor: anchor, now: now, revoked: revoked)
            } catch let error as RefGateError where error.code == .directoryInvalid {
                excluded[entry.id] = error.detail
                continue
            }
            members[entry.id] = member
            if !revoked.contains(member.authThumbprint) { byAuth[member.authThumbprint] = entry.id }
            if !revoked.contains(member.signThumbprint) { bySign[member.signThumbprint] = entry.id }
        }
        return TrustedDirectory(
            directory: directory, jws: jws, anchor: anchor, members: members, excluded: excluded,
            byAuthThumbprint: byAuth, bySignThumbprint: bySign)
    }

    private static func member(
        _ entry: Directory.Entry, anchor: Certificate, now: Date, revoked: Set<String>
    ) async throws -> Member {
        let auth: Certificate
        let sign: Certificate
        do {
            auth = try Certificate(pemEncoded: entry.authCertificate)
            sign = try Certificate(pemEncoded: entry.signCertificate)
        } catch {
            throw RefGateError(.directoryInvalid, "a certificate of \(entry.id) does not parse: \(error)")
        }
        do {
            try await ChainValidator.validate(auth, kind: .auth, anchor: anchor, at: now)
            try await ChainValidator.validate(sign, kind: .sign, anchor: anchor, at: now)
        } catch let error as RefGateError {
            throw RefGateError(.directoryInvalid, "\(entry.id): \(error.detail)")
        }
        guard let key = P256.Signing.PublicKey(sign.publicKey) else {
            throw RefGateError(.directoryInvalid, "the sign certificate of \(entry.id) is not a P-256 key")
        }
        guard let authKey = P256.Signing.PublicKey(auth.publicKey) else {
            throw RefGateError(.directoryInvalid, "the auth certificate of \(entry.id) is not a P-256 key")
        }
        let authThumbprint = try Thumbprint.of(auth)
        return Member(
            entry: entry, authCertificate: auth, signCertificate: sign, authThumbprint: authThumbprint,
            signThumbprint: try Thumbprint.of(sign), signingKey: key,
            // derRepresentation is the whole SubjectPublicKeyInfo, what libcurl hashes.
            authPin: "sha256//" + Data(SHA256.hash(data: authKey.derRepresentation)).base64EncodedString(),
            authRevoked: revoked.contains(authThumbprint))
    }

    /// A member by id (whatever the state of its certificates).
    public func member(_ id: AuthorityID) -> Member? { members[id] }

    /// All members, by id.
    public var allMembers: [Member] { members.values.sorted { $0.id < $1.id } }

    /// Throws `directory-expired` once the directory has passed its `expiresAt`: a node fails
    /// closed rather than trust a region's membership nobody vouches for any longer.
    public func checkInForce(at now: Date) throws {
        guard now < directory.expiresAt else {
            throw RefGateError(
                .directoryExpired,
                "directory version \(directory.version) expired at \(MessageCoding.formatInstant(directory.expiresAt)); ask the regional coordinator for a current one and install it"
            )
        }
    }

    /// The authority whose current, unrevoked auth certificate has these DER bytes, if that
    /// certificate is valid at `now`.
    public func authority(forAuthCertificateDER der: [UInt8], at now: Date) -> AuthorityID? {
        guard let id = byAuthThumbprint[Thumbprint.sha256(der)], let member = members[id],
            member.authCertificate.notValidBefore <= now, now <= member.authCertificate.notValidAfter
        else { return nil }
        return id
    }

    /// The member whose current, unrevoked sign certificate has this thumbprint (a JWS `kid`).
    public func signer(kid: String) -> Member? {
        bySignThumbprint[kid].flatMap { members[$0] }
    }

    /// Verifies a message JWS: known `kid` whose certificate is valid at `now`, valid
    /// signature. Returns the signing authority.
    public func verifySignature(of jws: JWS, at now: Date) throws -> AuthorityID {
        guard let signer = signer(kid: jws.header.kid) else {
            throw RefGateError(
                .unknownSigningKey,
                "kid \(jws.header.kid) is not a current, unrevoked sign certificate in directory version \(directory.version)"
            )
        }
        guard signer.signCertificate.notValidBefore <= now, now <= signer.signCertificate.notValidAfter else {
            throw RefGateError(
                .unknownSigningKey,
                "the sign certificate of \(signer.id) (kid \(jws.header.kid)) is not valid at \(MessageCoding.formatInstant(now))"
            )
        }
        try jws.verify(with: signer.signingKey)
        return signer.id
    }
}
