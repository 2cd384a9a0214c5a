import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust

extension Intake {
    /// The tree heads of the client's log this node witnessed; the client is named by its TLS
    /// certificate, so a peer sees only what it sent.
    public func checkpoints(clientCertificateDER: [UInt8]?) async throws -> [String] {
        let client = try Self.client(clientCertificateDER, trusted: await directory.current, now: clock.now())
        return try await store.read { try $0.peerCheckpoints(from: client).map(\.head.jws) }
    }
}
