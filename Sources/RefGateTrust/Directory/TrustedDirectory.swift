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
    private let byAuthThumbprint: [String: Listed]
    private let bySignThumbprint: [String: Listed]

    /// A certificate the directory lists for a member, current or next.
    private struct Listed: Sendable {
        let authority: AuthorityID
        let certificate: Certificate
        let key: P256.Signing.PublicKey

        func isValid(at now: Date) -> Bool { certificate.notValidBefore <= now && now <= certificate.notValidAfter }
    }

    /// A member's auth and sign certificates, parsed and validated. A member has its current
    /// pair and, while it rotates its keys, a next pair listed beside it: messages and
    /// connections with either are accepted, and connections to it accept either key, so the
    /// member can switch at any moment within the overlap.
    public struct CertificatePair: Sendable {
        /// The auth certificate.
        public let authCertificate: Certificate
        /// The sign certificate.
        public let signCertificate: Certificate
        /// The auth certificate's thumbprint.
        public let authThumbprint: String
        /// The sign certificate's thumbprint (the `kid` of messages signed with its key).
        public let signThumbprint: String
        /// libcurl's pin for the auth key.
        public let authPin: String
        /// Whether the directory revokes the auth certificate.
        public let authRevoked: Bool
    }

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
        /// Its next certificates, while it rotates.
        public let next: CertificatePair?

        /// Whether the directory lists this auth and sign pair for the member: its current pair,
        /// or while it rotates, its next one (a node starts with either).
        public func lists(authThumbprint auth: String, signThumbprint sign: String) -> Bool {
            (authThumbprint == auth && signThumbprint == sign)
                || (next.map { $0.authThumbprint == auth && $0.signThumbprint == sign } ?? false)
        }
        /// The GSS code.
        public var id: AuthorityID { entry.id }

        /// The pins outbound TLS to this member accepts: its current auth key and, while it
        /// rotates, its next one (libcurl takes several, separated by `;`), revoked ones left out.
        public var authPins: String {
            var pins = authRevoked ? [] : [authPin]
            if let next, !next.authRevoked { pins.append(next.authPin) }
            return pins.joined(separator: ";")
        }

        /// Why nothing may be sent to this member at `now` (no auth certificate of it is
        /// unrevoked and valid), or nil when it may receive.
        public func refusalToReceive(at now: Date) -> String? {
            let current = Self.refusal(authCertificate, revoked: authRevoked, id: id, at: now)
            guard let current else { return nil }
            guard let next else { return current }
            return Self.refusal(next.authCertificate, revoked: next.authRevoked, id: id, at: now).map {
                "\(current); next: \($0)"
            }
        }

        private static func refusal(_ certificate: Certificate, revoked: Bool, id: AuthorityID, at now: Date)
            -> String?
        {
            if revoked { return "the auth certificate of \(id) is revoked in the directory" }
            if now < certificate.notValidBefore { return "the auth certificate of \(id) is not valid yet" }
            if now > certificate.notValidAfter { return "the auth certificate of \(id) has expired" }
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
        var byAuth: [String: Listed] = [:]
        var bySign: [String: Listed] = [:]
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
            if !revoked.contains(member.authThumbprint) {
                byAuth[member.authThumbprint] = Listed(
                    authority: entry.id, certificate: member.authCertificate, key: member.signingKey)
            }
            if !revoked.contains(member.signThumbprint) {
                bySign[member.signThumbprint] = Listed(
                    authority: entry.id, certificate: member.signCertificate, key: member.signingKey)
            }
            if let next = member.next {
                if !revoked.contains(next.authThumbprint) {
                    byAuth[next.authThumbprint] = Listed(
                        authority: entry.id, certificate: next.authCertificate, key: member.signingKey)
                }
                if !revoked.contains(next.signThumbprint),
                    let key = P256.Signing.PublicKey(next.signCertificate.publicKey)
                {
                    bySign[next.signThumbprint] = Listed(
                        authority: entry.id, certificate: next.signCertificate, key: key)
                }
            }
        }
        return TrustedDirectory(
            directory: directory, jws: jws, anchor: anchor, members: members, excluded: excluded,
            byAuthThumbprint: byAuth, bySignThumbprint: bySign)
    }

    private static func member(
        _ entry: Directory.Entry, anchor: Certificate, now: Date, revoked: Set<String>
    ) async throws -> Member {
        let current = try await pair(
            auth: entry.authCertificate, sign: entry.signCertificate, id: entry.id, anchor: anchor, now: now,
            revoked: revoked)
        var next: CertificatePair?
        if let nextAuth = entry.nextAuthCertificate, let nextSign = entry.nextSignCertificate {
            next = try await pair(
                auth: nextAuth, sign: nextSign, id: entry.id, anchor: anchor, now: now, revoked: revoked)
        } else if entry.nextAuthCertificate != nil || entry.nextSignCertificate != nil {
            throw RefGateError(.directoryInvalid, "\(entry.id) lists a next auth or sign certificate without the other")
        }
        guard let key = P256.Signing.PublicKey(current.signCertificate.publicKey) else {
            throw RefGateError(.directoryInvalid, "the sign certificate of \(entry.id) is not a P-256 key")
        }
        return Member(
            entry: entry, authCertificate: current.authCertificate, signCertificate: current.signCertificate,
            authThumbprint: current.authThumbprint, signThumbprint: current.signThumbprint, signingKey: key,
            authPin: current.authPin, authRevoked: current.authRevoked, next: next)
    }

    /// Parses and validates an auth and sign certificate pair of a member.
    private static func pair(
        auth authPEM: String, sign signPEM: String, id: AuthorityID, anchor: Certificate, now: Date,
        revoked: Set<String>
    ) async throws -> CertificatePair {
        let auth: Certificate
        let sign: Certificate
        do {
            auth = try Certificate(pemEncoded: authPEM)
            sign = try Certificate(pemEncoded: signPEM)
        } catch {
            throw RefGateError(.directoryInvalid, "a certificate of \(id) does not parse: \(error)")
        }
        do {
            try await ChainValidator.validate(auth, kind: .auth, anchor: anchor, at: now)
            try await ChainValidator.validate(sign, kind: .sign, anchor: anchor, at: now)
        } catch let error as RefGateError {
            throw RefGateError(.directoryInvalid, "\(id): \(error.detail)")
        }
        guard P256.Signing.PublicKey(sign.publicKey) != nil else {
            throw RefGateError(.directoryInvalid, "the sign certificate of \(id) is not a P-256 key")
        }
        guard let authKey = P256.Signing.PublicKey(auth.publicKey) else {
            throw RefGateError(.directoryInvalid, "the auth certificate of \(id) is not a P-256 key")
        }
        let authThumbprint = try Thumbprint.of(auth)
        return CertificatePair(
            authCertificate: auth, signCertificate: sign, authThumbprint: authThumbprint,
            signThumbprint: try Thumbprint.of(sign),
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
        guard let listed = byAuthThumbprint[Thumbprint.sha256(der)], listed.isValid(at: now) else { return nil }
        return listed.authority
    }

    /// The member whose current, unrevoked sign certificate has this thumbprint (a JWS `kid`).
    public func signer(kid: String) -> Member? {
        bySignThumbprint[kid].flatMap { members[$0.authority] }
    }

    /// Verifies a message JWS: known `kid` whose certificate is valid at `now`, valid
    /// signature. Returns the signing authority.
    public func verifySignature(of jws: JWS, at now: Date) throws -> AuthorityID {
        guard let listed = bySignThumbprint[jws.header.kid] else {
            throw RefGateError(
                .unknownSigningKey,
                "kid \(jws.header.kid) is not a current, unrevoked sign certificate in directory version \(directory.version)"
            )
        }
        guard listed.isValid(at: now) else {
            throw RefGateError(
                .unknownSigningKey,
                "the sign certificate of \(listed.authority) (kid \(jws.header.kid)) is not valid at \(MessageCoding.formatInstant(now))"
            )
        }
        try jws.verify(with: listed.key)
        return listed.authority
    }
}
