import Foundation
import HTTPTypes
import RefGateBuildInfo
import RefGateCore
import RefGateTransport
import Synchronization

/// Sends a peer the messages due for it together: one message by `POST /peer/v1/messages`,
/// several by `POST /peer/v1/messages/batch`, and gives each message the answer it got as if
/// it had been sent alone (a receipt with 200, or the peer's problem for it), or the error
/// that failed the exchange.
///
/// Messages whose batch body would pass the peer's size limit (`PeerBatch.maxBytes`) are split
/// into batches under it. A peer that does not know the batch endpoint (404, 405, 415) is sent
/// single messages from then on; a batch refused as a whole for its form is sent again message
/// by message, so each message gets the peer's own verdict on it.
final class PeerExchange: PeerTransport {
    typealias Target = PeerTarget

    private let client: CurlHTTPClient
    /// Peers that answered a batch as if they had no such endpoint.
    private let singleOnly = Mutex<Set<Target>>([])
    /// The release each peer last said it runs (`RefGate-Version` on its answers).
    private let versions = Mutex<[String: String]>([:])
    /// The directory in force, whose version requests carry (`RefGate-Directory-Version`).
    private let directory: DirectoryHolder?
    /// Told the directory version a peer's answer says it holds.
    private let peerDirectory = Mutex<(@Sendable (Int) async -> Void)?>(nil)

    init(client: CurlHTTPClient, directory: DirectoryHolder? = nil) {
        self.client = client
        self.directory = directory
    }

    /// Tells `hint` the directory version each peer's answer says it holds.
    func onPeerDirectory(_ hint: @escaping @Sendable (Int) async -> Void) {
        peerDirectory.withLock { $0 = hint }
    }

    /// The headers every peer request carries: this release, and the directory version held.
    private func commonHeaders() async -> HTTPFields {
        var fields: HTTPFields = [.refgateVersion: RefGateVersion.release, .userAgent: Self.userAgent]
        if let directory { fields[.refgateDirectoryVersion] = "\(await directory.current.directory.version)" }
        return fields
    }

    /// Sends compact JWS messages (at most `PeerBatch.maxMessages`) and returns, for each in
    /// order, the peer's answer to it or what failed the exchange.
    func send(_ messages: [String], to target: Target) async -> [PeerAnswer] {
        let parts = Self.split(messages)
        guard parts.count == 1 else {
            return await parts.concurrentMap { await self.sendBatch($0, to: target) }.flatMap { $0 }
        }
        return await sendBatch(messages, to: target)
    }

    /// `messages` in order, cut into runs whose batch body stays within `limit` bytes (a
    /// message larger than that alone goes alone, by the single-message endpoint).
    static func split(_ messages: [String], limit: Int = PeerBatch.maxBytes) -> [[String]] {
        // `{"messages":[]}`, then each message quoted with a comma; compact JWS is base64url
        // and dots, which JSON never escapes.
        let envelope = 15
        var parts: [[String]] = []
        var current: [String] = []
        var size = envelope
        for message in messages {
            let cost = message.utf8.count + 3
            if !current.isEmpty && size + cost > limit {
                parts.append(current)
                current = []
                size = envelope
            }
            current.append(message)
            size += cost
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    private func sendBatch(_ messages: [String], to target: Target) async -> [PeerAnswer] {
        if messages.count == 1 || singleOnly.withLock({ $0.contains(target) }) {
            return await sendEach(messages, to: target)
        }
        let response: ClientResponse
        var headers = await commonHeaders()
        headers[.contentType] = PeerBatch.mediaType
        headers[.accept] = PeerBatch.mediaType
        do {
            response = try await client.send(
                url: target.endpoint + "/peer/v1/messages/batch",
                body: try JSONEncoder().encode(PeerBatch(messages: messages)),
                headerFields: headers,
                pinnedPublicKey: target.pinnedPublicKey)
        } catch {
            return Array(repeating: .failed(error), count: messages.count)
        }
        await remember(response, from: target)
        switch response.status.code {
        case 200:
            guard let answer = try? JSONDecoder().decode(PeerBatchAnswer.self, from: response.body),
                answer.results.count == messages.count
            else {
                // Not what a batch is answered with: the peer is failing, and every message is
                // retried as if the exchange had failed.
                let problem = ProblemDetails(
                    RefGateError(.internalError, "the peer's answer to a batch is not one result per message"))
                return Array(repeating: Self.refused(problem, status: 502), count: messages.count)
            }
            return answer.results.map(Self.answer)
        case 404, 405, 415:
            // A peer without the batch endpoint.
            _ = singleOnly.withLock { $0.insert(target) }
            return await sendEach(messages, to: target)
        case 400...499 where ![408, 425, 429].contains(response.status.code):
            return await sendEach(messages, to: target)
        default:
            // The peer is failing or asks us to wait (5xx, 408, 425, 429): that is every
            // message's answer.
            return Array(repeating: Self.answer(response), count: messages.count)
        }
    }

    private func sendEach(_ messages: [String], to target: Target) async -> [PeerAnswer] {
        var fields = await commonHeaders()
        fields[.contentType] = PeerAPI.joseMediaType
        fields[.accept] = PeerAPI.joseMediaType
        let headers = fields
        return await messages.concurrentMap { message in
            do {
                return await self.answer(
                    try await self.client.send(
                        url: target.endpoint + "/peer/v1/messages", body: Data(message.utf8),
                        headerFields: headers,
                        pinnedPublicKey: target.pinnedPublicKey),
                    from: target)
            } catch {
                return .failed(error)
            }
        }
    }

    /// What `target` exchanged with this node since `since` (one page): `GET /peer/v1/exchange`.
    func exchangeLog(since: Date, after: String?, from target: Target) async throws -> ExchangeLog {
        let stamp =
            MessageCoding.formatInstant(since).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let cursor = after.flatMap { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) }
        let response = try await client.sendExpectingSuccess(
            url: target.endpoint + "/peer/v1/exchange?since=" + stamp + (cursor.map { "&after=" + $0 } ?? ""),
            headerFields: [
                .accept: "application/json", .refgateVersion: RefGateVersion.release, .userAgent: Self.userAgent,
            ],
            pinnedPublicKey: target.pinnedPublicKey)
        await remember(response, from: target)
        do {
            return try MessageCoding.decoder().decode(ExchangeLog.self, from: response.body)
        } catch {
            throw RefGateError(.malformedMessage, "the peer's exchange log is not one this release reads: \(error)")
        }
    }

    /// The release `target` said it runs in its last answer, if it said.
    func peerVersion(_ target: Target) -> String? {
        versions.withLock { $0[target.endpoint] }
    }

    static let userAgent = "refgate/\(RefGateVersion.release)"

    private func remember(_ response: ClientResponse, from target: Target) async {
        if let version = response.headerFields[.refgateVersion], version.utf8.count <= 64 {
            versions.withLock { $0[target.endpoint] = version }
        }
        if let text = response.headerFields[.refgateDirectoryVersion], text.utf8.count <= 10, let held = Int(text),
            let hint = peerDirectory.withLock({ $0 })
        {
            await hint(held)
        }
    }

    private func answer(_ response: ClientResponse, from target: Target) async -> PeerAnswer {
        await remember(response, from: target)
        return Self.answer(response)
    }

    /// The single-message endpoint's answer (or a batch's answer as a whole).
    private static func answer(_ response: ClientResponse) -> PeerAnswer {
        guard response.status.kind == .successful else {
            return .refused(
                status: response.status.code,
                problem: try? JSONDecoder().decode(ProblemDetails.self, from: response.body), body: response.body,
                retryAfter: response.retryAfter)
        }
        return .receipt(response.body)
    }

    /// One message's answer in a batch answer.
    private static func answer(_ result: PeerBatchAnswer.Result) -> PeerAnswer {
        if let receipt = result.receipt { return .receipt(Data(receipt.utf8)) }
        guard let problem = result.problem else {
            return refused(
                ProblemDetails(RefGateError(.internalError, "the peer gave neither a receipt nor a problem")),
                status: 502)
        }
        return refused(problem, status: problem.status)
    }

    private static func refused(_ problem: ProblemDetails, status: Int) -> PeerAnswer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return .refused(
            status: status, problem: problem, body: (try? encoder.encode(problem)) ?? Data(), retryAfter: nil)
    }
}
