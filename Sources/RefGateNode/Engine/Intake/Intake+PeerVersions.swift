import Foundation
import RefGateCore
import RefGateStore
import Synchronization

/// The releases peers said they run on the requests they sent, as last stored: so a request
/// writes only when a peer's release changes (an upgrade), not on every message.
final class PeerVersions: Sendable {
    private let known = Mutex<[AuthorityID: String]>([:])

    /// Whether `version` is news for `peer`; records it as known.
    func isNew(_ version: String, for peer: AuthorityID) -> Bool {
        known.withLock { known in
            guard known[peer] != version else { return false }
            known[peer] = version
            return true
        }
    }

    /// Forgets a peer's release (the write that would have stored it failed).
    func forget(_ peer: AuthorityID) { _ = known.withLock { $0.removeValue(forKey: peer) } }
}

extension Intake {
    /// Records the release a peer said it runs (`RefGate-Version` on its request), so this node
    /// answers it in the newest format it reads (``MessageFormat``). Only a verified client
    /// counts; a header that is not `MAJOR.MINOR.PATCH` (at most 32 characters) is ignored.
    public func notePeerVersion(_ version: String, clientCertificateDER: [UInt8]?) async {
        guard version.utf8.count <= 32, MessageFormat.parse(version) != nil,
            let peer = try? Self.client(clientCertificateDER, trusted: await directory.current, now: clock.now()),
            peerVersions.isNew(version, for: peer)
        else { return }
        do {
            try await store.write { tx in try tx.notePeerVersion(peer, version) }
        } catch {
            peerVersions.forget(peer)
            logger.warning("could not record a peer's release", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
    }
}
