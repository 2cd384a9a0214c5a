import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTransport
import RefGateTrust
import ServiceLifecycle
import Synchronization

@testable import RefGateNode

/// Peers in one process: a node's outgoing messages go straight to the receiving engine's
/// intake, with the sender's auth certificate as the TLS identity, and come back as the peer
/// API would answer them (a receipt, or the problem document with its status). For tests of
/// the procedure (the ladder, escalations), which need no sockets, TLS or mail server; the
/// transport itself keeps its real-process, real-TLS tests.
final class PeerNetwork: Sendable {
    private let intakes = Mutex<[String: any MessageIntake]>([:])
    private let down = Mutex<Set<String>>([])

    /// Puts `intake` at `endpoint`.
    func attach(_ intake: any MessageIntake, at endpoint: String) { intakes.withLock { $0[endpoint] = intake } }

    /// Makes `endpoint` unreachable (or reachable again).
    func setDown(_ endpoint: String, _ isDown: Bool) {
        _ = down.withLock { isDown ? $0.insert(endpoint).inserted : $0.remove(endpoint) != nil }
    }

    /// The transport of a node whose auth certificate is `certificateDER`.
    func transport(from certificateDER: [UInt8]) -> any PeerTransport {
        Transport(network: self, certificateDER: certificateDER)
    }

    fileprivate func intake(at endpoint: String) -> (any MessageIntake)? {
        guard !down.withLock({ $0.contains(endpoint) }) else { return nil }
        return intakes.withLock { $0[endpoint] }
    }

    private struct Transport: PeerTransport {
        let network: PeerNetwork
        let certificateDER: [UInt8]

        func send(_ messages: [String], to target: PeerTarget) async -> [PeerAnswer] {
            guard let intake = network.intake(at: target.endpoint) else {
                let refused = TransportError(.connectRefused, "nothing listens at \(target.endpoint)")
                return messages.map { _ in .failed(refused) }
            }
            return await intake.accept(batch: messages, clientCertificateDER: certificateDER).map { result in
                switch result {
                case .success(let accepted): return .receipt(Data(accepted.receipt.utf8))
                case .failure(let error):
                    let problem = ProblemDetails.problem(for: error, logger: Logger(label: "test.peers"))
                    return .refused(
                        status: problem.status, problem: problem, body: (try? JSONEncoder().encode(problem)) ?? Data(),
                        retryAfter: nil)
                }
            }
        }
    }
}

/// E-mail kept in memory.
final class MemoryMailer: Mailer {
    let sender: MailMessage.Mailbox
    private let sent = Mutex<[MailMessage]>([])

    init(from address: String) { sender = .init(address) }

    func send(_ message: MailMessage) async throws { sent.withLock { $0.append(message) } }
    func shutdown() async {}

    /// What was sent to `address`.
    func mails(to address: String) -> [MailMessage] {
        sent.withLock { $0.filter { $0.to.contains { $0.address == address } } }
    }
}

extension TestRegion {
    /// `id`'s engine alone, for in-process router tests: no listeners, no peers reachable.
    func makeEngine(_ id: AuthorityID) async throws -> NodeEngine {
        try await makeEngine(configuration: try configuration(id), network: PeerNetwork()).0
    }

    /// An engine with its services for `configuration`'s authority, in process: peers through
    /// `network`, e-mail into the returned mailer. Nothing listens; nothing is read but the
    /// region's files (keys, certificates, directory).
    func makeEngine(configuration: NodeConfiguration, network: PeerNetwork) async throws -> (NodeEngine, MemoryMailer) {
        let signals = WorkSignals()
        let store = try Store(configuration.database, wake: signals.wake)
        let anchor = try CertificateFile.loadCertificate(configuration.caCertificate, what: "CA")
        let compact = try String(contentsOfFile: configuration.directory, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let trusted = try await TrustedDirectory.verify(compact: compact, anchor: anchor, now: clock.now())
        let authDER = try CertificateFile.loadCertificate(configuration.authCertificate, what: "auth").derBytes()
        let mailer = MemoryMailer(from: "refgate@\(configuration.authority.rawValue.lowercased()).example")
        var logger = Logger(label: "test.engine.\(configuration.authority)")
        logger.logLevel = .critical
        let services = try await NotificationDeliverer.services(configuration: configuration, logger: logger)
        let core = NodeEngine.make(
            settings: .init(
                configuration: configuration, policy: try configuration.makePolicy(),
                region: try configuration.makeRegionOptions()), store: store,
            signals: signals, directory: DirectoryHolder(trusted), signer: try signer(configuration.authority),
            clock: clock, transport: network.transport(from: authDER), mailer: mailer, notify: services.notify,
            teams: services.teams, logger: logger)
        let endpoint = try require(trusted.member(configuration.authority)).entry.endpoint
        network.attach(core.engine.intake, at: endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint)
        return (core, mailer)
    }
}

/// Runs engines' services (the deadline scheduler only if `scheduler` is `.service`) around `body`.
func withRunning<T: Sendable>(
    engines: [NodeEngine], scheduler: SchedulerMode = .service, _ body: () async throws -> T
) async throws -> T {
    try await withServices(
        engines.flatMap(\.services).filter { scheduler == .service || !($0 is DeadlineScheduler) }, body)
}

/// `#require` for a helper that is not a test.
private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw RefGateError(.internalError, "missing value") }
    return value
}
