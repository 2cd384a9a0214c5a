import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// Installs a signed directory, whoever brings it (`refgate directory install`, or the fetcher):
/// the checks (regional CA signature, in force, no rollback), the file the node starts from, and
/// the version's record in the store (whose commit wakes the directory watch).
public struct DirectoryInstaller: Sendable {
    let holder: DirectoryHolder
    let store: Store
    /// The configuration's `directory` file.
    let path: String
    let clock: any NodeClock
    let logger: Logger

    /// Installs `compact` and returns its version.
    @discardableResult
    public func install(compact: String) async throws -> Int {
        let installed = try await holder.install(compact: compact, now: clock.now())
        try PEMFile.writePublic(compact + "\n", to: path)
        let now = clock.now()
        try await store.write { tx in
            try tx.insertDirectory(
                version: installed.directory.version, digest: installed.jws.digest, signed: installed.jws.compact,
                at: now)
        }
        logger.notice("directory installed", metadata: ["version": "\(installed.directory.version)"])
        return installed.directory.version
    }
}
