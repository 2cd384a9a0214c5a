import Crypto
import Foundation
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateTrust

/// refgate and an ordinary JOSE library (Python joserfc + json) must never read the same signed
/// bytes two ways: for every hostile input, either refgate refuses it, or both accept it and
/// read the same payload. Duplicate members are the case that matters: Python keeps the last,
/// Foundation's decoder the first, so refgate refuses them.
@Suite(.timeLimit(.minutes(2))) struct StrictReadingTests {
    let key = P256.Signing.PrivateKey()

    /// A JWS over raw header and payload text, signed correctly.
    func signed(header: String, payload: String) throws -> String {
        let input = Base64URL.encode(Data(header.utf8)) + "." + Base64URL.encode(Data(payload.utf8))
        let signature = try key.signature(for: Data(input.utf8)).rawRepresentation
        return input + "." + Base64URL.encode(signature)
    }

    /// The payload joserfc read (base64 of its JSON text), as an object.
    static func payload(_ reading: [String: Any]) throws -> [String: Any]? {
        guard let text = reading["payload"] as? String, let data = Data(base64Encoded: text) else { return nil }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    /// refgate's reading: the JWS parses, verifies, and its payload is a valid receipt.
    func refgateReads(_ compact: String) -> Bool {
        guard let jws = try? JWS(compact: compact), jws.isValid(for: key.publicKey),
            (try? RefGateMessage.decode(payload: jws.payload)) != nil
        else { return false }
        return true
    }

    @Test func refgateAndJoserfcNeverDisagree() throws {
        let receipt = Receipt(
            id: "3f2a1c9e-8b7d-4e6f-9a5b-1c2d3e4f5a6b", from: AuthorityID(rawValue: "E08000006")!,
            to: AuthorityID(rawValue: "E08000003")!, messageId: "7e6d5c4b-3a29-4810-9f8e-7d6c5b4a3928",
            messageDigest: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            receivedAt: Date(timeIntervalSince1970: 1_795_000_000))
        let valid = String(decoding: try MessageCoding.encoder().encode(receipt), as: UTF8.self)
        let header = #"{"alg":"ES256","kid":"k","typ":"refgate-message+jws"}"#
        let other = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
        let duplicated = valid.replacingOccurrences(
            of: #""messageDigest":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""#,
            with: #""messageDigest":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","messageDigest":"\#(other)""#)
        #expect(duplicated != valid)
        let cases: [(name: String, header: String, payload: String)] = [
            ("valid", header, valid),
            ("duplicate payload member", header, duplicated),
            ("trailing comma", header, String(valid.dropLast()) + ",}"),
            ("duplicate header member", #"{"alg":"ES256","kid":"k","kid":"x","typ":"refgate-message+jws"}"#, valid),
            (
                "critical extension", #"{"alg":"ES256","crit":["exp"],"exp":1,"kid":"k","typ":"refgate-message+jws"}"#,
                valid
            ),
            (
                "unknown header member", #"{"alg":"ES256","kid":"k","typ":"refgate-message+jws","x5u":"https://x"}"#,
                valid
            ),
            ("alg none", #"{"alg":"none","kid":"k","typ":"refgate-message+jws"}"#, valid),
            ("lone surrogate", header, valid.replacingOccurrences(of: #""type":"#, with: #""note":"\ud800","type":"#)),
            ("deep nesting", header, String(repeating: "[", count: 40) + String(repeating: "]", count: 40)),
        ]
        let compacts = try cases.map { try signed(header: $0.header, payload: $0.payload) }
        let jwk = try JSONSerialization.data(withJSONObject: [
            "kty": "EC", "crv": "P-256",
            "x": Base64URL.encode(key.publicKey.rawRepresentation.prefix(32)),
            "y": Base64URL.encode(key.publicKey.rawRepresentation.suffix(32)),
        ])
        let input = try JSONSerialization.data(
            withJSONObject: compacts.map { ["jws": $0, "jwk": try JSONSerialization.jsonObject(with: jwk)] })
        let run = try ExternalTool.run(["python3", "\(ExternalTool.interopFolder)/joserfc_reading.py"], input: input)
        #expect(run.status == 0, "\(run.combined)")
        let readings = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String: Any]])
        #expect(readings.count == cases.count)
        for (index, item) in cases.enumerated() {
            let ours = refgateReads(compacts[index])
            let theirs = readings[index]
            if ours {
                // Accepted here: joserfc must accept it too and read the very same payload.
                #expect(theirs["accepted"] as? Bool == true, "\(item.name): \(theirs)")
                let payload = try JSONSerialization.jsonObject(with: Data(item.payload.utf8))
                let read = NSDictionary(dictionary: try Self.payload(theirs) ?? [:])
                #expect(read.isEqual(to: payload as? [String: Any] ?? [:]), "\(item.name)")
            }
            #expect(ours == (item.name == "valid"), "\(item.name): refgate \(ours ? "accepted" : "refused")")
        }
        // The hazard refgate closes: joserfc reads the duplicated digest as the last one.
        let duplicateReading = try #require(try Self.payload(readings[1]))
        #expect(duplicateReading["messageDigest"] as? String == other)
    }
}
