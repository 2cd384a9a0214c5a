import Foundation

extension RegionalCA {
    /// File name of the CA certificate inside a CA folder.
    public static let certificateFile = "ca.pem"
    /// File name of the CA key inside a CA folder (mode 0600).
    public static let keyFile = "ca.key"

    /// Writes `ca.pem` and `ca.key` (0600) into a folder.
    public func save(to folder: String) throws {
        try PEMFile.writePublic(try CertificateFile.pem(certificate), to: "\(folder)/\(Self.certificateFile)")
        try PEMFile.writePrivateKey(privateKey.pemRepresentation + "\n", to: "\(folder)/\(Self.keyFile)")
    }

    /// Loads `ca.pem` and `ca.key` from a folder.
    public static func load(from folder: String) throws -> RegionalCA {
        try load(certificatePath: "\(folder)/\(certificateFile)", keyPath: "\(folder)/\(keyFile)")
    }
}
