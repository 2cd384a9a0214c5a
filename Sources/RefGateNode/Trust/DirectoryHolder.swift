import Foundation
import RefGateCore
import RefGateTrust
import X509

/// Holds the directory this node trusts and replaces it only with a newer, valid one.
public actor DirectoryHolder {
    /// The directory in force.
    public private(set) var current: TrustedDirectory

    /// Starts with a verified directory.
    public init(_ directory: TrustedDirectory) { current = directory }

    /// Verifies and installs a new directory; refuses a bad signature, an expired one or a rollback.
    @discardableResult
    public func install(compact: String, now: Date) async throws -> TrustedDirectory {
        let verified = try await TrustedDirectory.verify(
            compact: compact, anchor: current.anchor, now: now, heldVersion: current.directory.version)
        current = verified
        return verified
    }
}
