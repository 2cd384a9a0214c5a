import Crypto
import Foundation
import RefGateCore
import RefGateTrust

/// E-mailed one-time sign-in codes that are never stored in clear: the queued e-mail holds a
/// placeholder with a random nonce, and the code is HMAC(key, nonce), computed when the e-mail
/// is written to the SMTP server; the credential row holds only the code's SHA-256. The key is
/// derived from the sign key, so whoever reads the database (or a backup of it) cannot compute a
/// code, and every instance of the node computes the same one.
struct SignInCodes: Sendable {
    /// The notification event of an e-mailed code.
    static let event = "sign-in-code"
    private static let opening = "[[refgate-sign-in-code:"
    private static let closing = "]]"
    private let key: SymmetricKey

    init(signer: MessageSigner) { key = signer.derivedSecret(purpose: "refgate sign-in codes v1") }

    /// A new nonce, the code it stands for, and the placeholder to put in the e-mail.
    func issue() -> (code: String, placeholder: String) {
        let nonce = Base64URL.encode(SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) })
        return (code(nonce: nonce), Self.opening + nonce + Self.closing)
    }

    /// The e-mail body with each placeholder replaced by its code.
    func render(_ body: String) -> String {
        var result = ""
        var rest = Substring(body)
        while let start = rest.range(of: Self.opening),
            let end = rest[start.upperBound...].range(of: Self.closing)
        {
            result += rest[..<start.lowerBound]
            result += code(nonce: String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return result + rest
    }

    private func code(nonce: String) -> String {
        Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key)))
    }
}
