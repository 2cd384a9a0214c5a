import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// After a restore: asks every peer for what it exchanged with this node since the backup
/// (`GET /peer/v1/exchange`, mutual TLS, page by page) and takes it back through
/// `Intake.recover`, so a restore loses no message a peer received or sent.
struct PeerRecovery: Sendable {
    let authority: AuthorityID
    let intake: Intake
    let transport: any PeerTransport
    let store: Store
    let directory: DirectoryHolder
    let logger: Logger

    /// How far before the backup to ask from: clocks differ, and a resend is only `known`.
    static let margin: TimeInterval = 3600

    /// Asks every member of the directory since `since`, or since the last restored backup
    /// was taken.
    func run(since: Date?, by actor: AuditActor? = nil) async throws -> RecoveryReport {
        let start: Date
        if let since {
            start = since
        } else {
            guard
                let restore = try await store.read({ try $0.latestAuditEntry(.backupRestored) }),
                let taken = restore.subject.flatMap(MessageCoding.parseInstant)
            else {
                throw RefGateError(
                    .invalidInput, "this node has not been restored from a backup: give since, the time to ask from")
            }
            start = taken.addingTimeInterval(-Self.margin)
        }
        let trusted = await directory.current
        var peers: [Intake.Recovered] = []
        for member in trusted.directory.authorities where member.id != authority {
            guard let listed = trusted.member(member.id) else { continue }
            var endpoint = listed.entry.endpoint
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
            let target = PeerTarget(endpoint: endpoint, pinnedPublicKey: listed.authPins)
            var total = Intake.Recovered(peer: member.id, applied: 0, known: 0, unreceipted: 0, refused: [])
            var from = start
            var after: String?
            do {
                for _ in 0..<10_000 {
                    let log = try await transport.exchangeLog(since: from, after: after, from: target)
                    let done = try await intake.recover(log, from: member.id, by: actor)
                    total.applied += done.applied
                    total.known += done.known
                    total.unreceipted += done.unreceipted
                    total.refused += done.refused
                    guard !log.complete, let last = log.entries.last else { break }
                    guard (last.recordedAt, last.id) > (from, after ?? "") else {
                        throw RefGateError(
                            .internalError,
                            "the peer's exchange log does not move on from \(MessageCoding.formatInstant(from))")
                    }
                    (from, after) = (last.recordedAt, last.id)
                }
            } catch {
                total.error = "\(error)"
                logger.warning(
                    "could not recover from a peer", metadata: ["peer": "\(member.id)", "error": "\(error)"])
            }
            peers.append(total)
        }
        return RecoveryReport(since: start, peers: peers)
    }
}

/// What `POST /api/v1/recovery` did: per peer, the messages taken back.
public struct RecoveryReport: Codable, Sendable {
    /// The time peers were asked from.
    public var since: Date
    /// One line per peer.
    public var peers: [Intake.Recovered]
}
