import Crypto
import Foundation
import RefGateCore
import Testing

@testable import RefGateTrust

@Suite(.timeLimit(.minutes(2))) struct JWSTests {
    let key = P256.Signing.PrivateKey()
    let header = JWSHeader(kid: "test-kid", typ: JWSHeader.messageType)

    @Test func signAndVerifyRoundTrip() throws {
        let payload = Data(#"{"hello":"world"}"#.utf8)
        let jws = try JWS.sign(payload: payload, header: header, key: key)
        let parsed = try JWS(compact: jws.compact)
        #expect(parsed.payload == payload)
        #expect(parsed.header == header)
        #expect(parsed.isValid(for: key.publicKey))
        #expect(jws.compact.split(separator: ".").count == 3)
    }

    @Test func aChangedPayloadFailsVerification() throws {
        let jws = try JWS.sign(payload: Data(#"{"outcome":"not-verified"}"#.utf8), header: header, key: key)
        var parts = jws.compact.split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(Data(#"{"outcome":"verified"}"#.utf8))
        let tampered = try JWS(compact: parts.joined(separator: "."))
        #expect(!tampered.isValid(for: key.publicKey))
        let error = #expect(throws: RefGateError.self) { try tampered.verify(with: key.publicKey) }
        #expect(error?.code == .badSignature)
    }

    @Test func aChangedHeaderFailsVerification() throws {
        let jws = try JWS.sign(payload: Data("{}".utf8), header: header, key: key)
        var parts = jws.compact.split(separator: ".").map(String.init)
        parts[0] = Base64URL.encode(Data(#"{"alg":"ES256","kid":"other","typ":"refgate-message+jws"}"#.utf8))
        #expect(!(try JWS(compact: parts.joined(separator: "."))).isValid(for: key.publicKey))
    }

    /// Only alg, kid and typ; `crit` only when it names nothing; no duplicate members.
    @Test(arguments: [
        #"{"alg":"ES256","kid":"k","typ":"refgate-message+jws","crit":["exp"],"exp":1}"#,
        #"{"alg":"ES256","kid":"k","typ":"refgate-message+jws","x5u":"https://elsewhere.example"}"#,
        #"{"alg":"ES256","kid":"k","typ":"refgate-message+jws","kid":"other"}"#,
        #"{"alg":"ES256","kid":"k","typ":"refgate-message+jws",}"#,
        #"["ES256"]"#,
    ])
    func aHeaderWithMoreThanItNeedsIsMalformed(header text: String) throws {
        let jws = try JWS.sign(payload: Data("{}".utf8), header: header, key: key)
        var parts = jws.compact.split(separator: ".").map(String.init)
        parts[0] = Base64URL.encode(Data(text.utf8))
        let error = #expect(throws: RefGateError.self) { try JWS(compact: parts.joined(separator: ".")) }
        #expect(error?.code == .malformedMessage)
    }

    @Test func anEmptyCritIsAccepted() throws {
        let jws = try JWS.sign(payload: Data("{}".utf8), header: header, key: key)
        var parts = jws.compact.split(separator: ".").map(String.init)
        parts[0] = Base64URL.encode(Data(#"{"alg":"ES256","kid":"k","typ":"refgate-message+jws","crit":[]}"#.utf8))
        #expect((try? JWS(compact: parts.joined(separator: "."))) != nil)
    }

    @Test func anotherKeyDoesNotVerify() throws {
        let jws = try JWS.sign(payload: Data("{}".utf8), header: header, key: key)
        #expect(!jws.isValid(for: P256.Signing.PrivateKey().publicKey))
    }

    @Test(arguments: [
        "only.two", "a.b.c.d", "!!!.e30.AAAA", "e30.e30.AAAA",
        // alg "none" must never be accepted
        Base64URL.encode(Data(#"{"alg":"none","kid":"k","typ":"t"}"#.utf8)) + ".e30."
            + String(repeating: "A", count: 86),
    ])
    func malformedInputIsRejected(compact: String) {
        #expect(throws: RefGateError.self) { try JWS(compact: compact) }
    }

    @Test func digestIsSHA256OfTheExactBytes() throws {
        let jws = try JWS.sign(payload: Data("{}".utf8), header: header, key: key)
        #expect(jws.digest == Base64URL.encode(Data(SHA256.hash(data: Data(jws.compact.utf8)))))
        #expect(jws.digest.count == 43)
    }

    @Test func base64URLRoundTrips() {
        for length in 0..<40 {
            let bytes = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) })
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
        #expect(Base64URL.decode("a+b/") == nil)
        #expect(Base64URL.decode("AAA=") == nil, "no padding in base64url")
        #expect(Base64URL.decode("QR") == nil, "non-canonical trailing bits")
        // Matches Foundation's base64 with the URL alphabet and no padding.
        let sample = Data((0..<255).map { UInt8($0) })
        let foundation = sample.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(Base64URL.encode(sample) == foundation)
    }
}
