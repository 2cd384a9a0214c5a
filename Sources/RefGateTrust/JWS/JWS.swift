import Crypto
import Foundation
import RefGateCore
import Synchronization

/// A JWS in compact serialization (RFC 7515), ES256 only.
///
/// The exact compact text is what nodes store and what receipts digest, so a signature
/// can be re-checked later with any JOSE library.
public struct JWS: Sendable, Hashable {
    /// The compact serialization, exactly as received or produced.
    public let compact: String
    /// The decoded protected header.
    public let header: JWSHeader
    /// The decoded payload.
    public let payload: Data
    private let signingInput: Data
    private let signature: Data

    /// Parses a compact JWS; throws `malformed-message` when it is not one, or not ES256.
    public init(compact: String) throws {
        // Bytes, not Characters: grapheme breaking over a whole message was a measurable share
        // of a node's CPU, and so was splitting the UTF-8 view through generic collection code.
        var text = compact
        let parts = try text.withUTF8 { bytes -> (header: String, payload: Data, signature: Data, signed: Data) in
            let raw = UnsafeRawBufferPointer(bytes)
            guard let first = raw.firstIndex(of: UInt8(ascii: ".")),
                let second = raw[(first + 1)...].firstIndex(of: UInt8(ascii: ".")),
                !raw[(second + 1)...].contains(UInt8(ascii: "."))
            else {
                throw RefGateError(.malformedMessage, "a compact JWS has three base64url parts separated by dots")
            }
            guard let payload = Base64URL.decode(buffer: UnsafeRawBufferPointer(rebasing: raw[(first + 1)..<second])),
                let signature = Base64URL.decode(buffer: UnsafeRawBufferPointer(rebasing: raw[(second + 1)...]))
            else {
                throw RefGateError(.malformedMessage, "a JWS part is not base64url")
            }
            return (
                String(decoding: raw[..<first], as: UTF8.self), payload, signature,
                Data(UnsafeRawBufferPointer(rebasing: raw[..<second]))
            )
        }
        let header = try Self.header(encoded: parts.header)
        guard parts.signature.count == 64 else {
            throw RefGateError(.badSignature, "an ES256 signature is 64 bytes, not \(parts.signature.count)")
        }
        self.compact = text
        self.header = header
        self.payload = parts.payload
        self.signingInput = parts.signed
        self.signature = parts.signature
    }

    /// Headers already read and found valid, by their encoded text: a node sees the same few
    /// (one per signing key) on every message, and reading each again was a measurable share
    /// of its CPU. Only valid headers are kept, at most `cachedHeaders`.
    private static let headers = Mutex<[String: JWSHeader]>([:])
    private static let cachedHeaders = 256

    /// The protected header from its base64url text, checked: strict JSON with `alg` ES256,
    /// `kid` and `typ`, and nothing else but an empty `crit`.
    static func header(encoded: String) throws -> JWSHeader {
        if let known = headers.withLock({ $0[encoded] }) { return known }
        guard let headerBytes = Base64URL.decode(encoded) else {
            throw RefGateError(.malformedMessage, "a JWS part is not base64url")
        }
        // The strict reader: a header with a duplicate member is refused, not read one way here
        // and another way by someone else's JOSE library.
        guard let parsed = try? StrictJSON.parse(headerBytes), case .object(let members) = parsed,
            case .string(let alg)? = parsed["alg"], case .string(let kid)? = parsed["kid"],
            case .string(let typ)? = parsed["typ"]
        else {
            throw RefGateError(.malformedMessage, "the JWS header is not a JSON object with alg, kid and typ")
        }
        // RFC 7515 §4.1.11: a `crit` naming anything must be understood, and refgate
        // understands no extension; other members would be read differently elsewhere.
        for (name, value) in members where !["alg", "kid", "typ"].contains(name) {
            guard name == "crit", case .array(let critical) = value, critical.isEmpty else {
                throw RefGateError(
                    .malformedMessage, "the JWS header member '\(name)' is not understood here (only alg, kid, typ)")
            }
        }
        var header = JWSHeader(kid: kid, typ: typ)
        header.alg = alg
        guard header.alg == "ES256" else {
            throw RefGateError(.malformedMessage, "JWS alg must be ES256, not \(header.alg)")
        }
        headers.withLock { known in
            if known.count >= cachedHeaders { known.removeAll(keepingCapacity: true) }
            known[encoded] = header
        }
        return header
    }

    /// Signs a payload.
    public static func sign(payload: Data, header: JWSHeader, key: P256.Signing.PrivateKey) throws -> JWS {
        try sign(payload: payload, header: header, encodedHeader: try encodedHeader(header), key: key)
    }

    /// The base64url protected header, as `sign` writes it (sorted keys).
    static func encodedHeader(_ header: JWSHeader) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Base64URL.encode(try encoder.encode(header))
    }

    /// Signs a payload with a header already encoded by `encodedHeader(_:)`.
    static func sign(payload: Data, header: JWSHeader, encodedHeader: String, key: P256.Signing.PrivateKey) throws
        -> JWS
    {
        let signingInput = Data("\(encodedHeader).\(Base64URL.encode(payload))".utf8)
        let signature = try key.signature(for: signingInput).rawRepresentation
        let compact = String(decoding: signingInput, as: UTF8.self) + "." + Base64URL.encode(signature)
        return JWS(compact: compact, header: header, payload: payload, signingInput: signingInput, signature: signature)
    }

    private init(compact: String, header: JWSHeader, payload: Data, signingInput: Data, signature: Data) {
        self.compact = compact
        self.header = header
        self.payload = payload
        self.signingInput = signingInput
        self.signature = signature
    }

    /// Whether the signature verifies with the key.
    public func isValid(for key: P256.Signing.PublicKey) -> Bool {
        guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
        return key.isValidSignature(signature, for: signingInput)
    }

    /// Throws `bad-signature` unless the signature verifies with the key.
    public func verify(with key: P256.Signing.PublicKey) throws {
        guard isValid(for: key) else {
            throw RefGateError(
                .badSignature, "the JWS signature does not verify with the key named by kid \(header.kid)")
        }
    }

    /// base64url SHA-256 of the compact bytes: what a receipt acknowledges.
    public var digest: String { Thumbprint.sha256(Data(compact.utf8)) }
}
