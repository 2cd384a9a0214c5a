import Crypto
import Foundation
import HTTPTypes

/// The signature on a webhook delivery: `X-Refgate-Signature: t=<unix seconds>,v1=<hex>` where
/// v1 is HMAC-SHA256 with the shared secret over `"<t>.<body>"`. Receivers recompute it, compare
/// in constant time, and reject old timestamps to stop replays.
public enum WebhookSignature {
    /// The header name.
    public static let header = "X-Refgate-Signature"
    /// `X-Refgate-Signature`.
    static let signatureField = HTTPField.Name(header)!
    /// `X-Refgate-Event`: the notification's event.
    static let eventField = HTTPField.Name("X-Refgate-Event")!
    /// `X-Refgate-Delivery`: the notification id, stable across retries (receivers drop repeats).
    static let deliveryField = HTTPField.Name("X-Refgate-Delivery")!

    /// The header value for a body sent at `time`.
    public static func sign(body: Data, secret: String, at time: Date) -> String {
        let timestamp = Int(time.timeIntervalSince1970)
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=\(mac.map { String(format: "%02x", $0) }.joined())"
    }
}
