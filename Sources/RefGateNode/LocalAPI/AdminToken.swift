import Crypto
import Foundation
import RefGateCore
import RefGateTrust

/// The admin API bearer token, kept in a 0600 file next to the node's keys.
public enum AdminToken {
    /// Reads the token, creating a random 256-bit one (mode 0600) if the file does not exist.
    public static func loadOrCreate(path: String) throws -> String {
        if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        let token = Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
        try PEMFile.writePrivateKey(token + "\n", to: path)
        return token
    }

    /// Reads an existing token.
    public static func load(path: String) throws -> String {
        let token = try PEMFile.readSecret(path, what: "admin token").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw RefGateError(
                .configurationInvalid, "the admin token file \(path) is empty; delete it to make a new one")
        }
        return token
    }
}
