import Crypto

/// A fixed key to check fuzzed signatures against (they never verify; the check must not crash).
enum FuzzKey {
    static let key = P256.Signing.PrivateKey().publicKey
}
