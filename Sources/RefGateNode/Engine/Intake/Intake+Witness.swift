import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust

extension Intake {
    /// The tree heads of the client's log this node witnessed; the client is named by its TLS
    /// certificate, so a peer sees only what it sent.
    public func checkpoints(clientCertificateDER: [UInt8]?) async throws -> [String] {
        let trusted = await directory.current
        let now = clock.now()
        try trusted.checkInForce(at: now)
        guard let der = clientCertificateDER,
            let client = trusted.authority(forAuthCertificateDER: der, at: now)
        else {
            throw RefGateError(
                .unknownClientCertificate,
                "the TLS client certificate is not a current auth certificate in directory version \(trusted.directory.version)"
            )
        }
        return try await store.read { try $0.peerCheckpoints(from: client).map(\.head.jws) }
    }
}
