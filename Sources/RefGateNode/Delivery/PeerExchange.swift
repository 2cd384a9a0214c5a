import Foundation
import HTTPTypes
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
final class PeerExchange: Sendable {
    /// Where messages go: a peer's endpoint and the key its TLS certificate must have.
    struct Target: Hashable, Sendable {
        var endpoint: String
        var pinnedPublicKey: String?
    }

    private let client: CurlHTTPClient
    /// Peers that answered a batch as if they had no such endpoint.
    private let singleOnly = Mutex<Set<Target>>([])

    init(client: CurlHTTPClient) { self.client = client }

    /// Sends compact JWS messages (at most `PeerBatch.maxMessages`) and returns, for each in
    /// order, the peer's answer to it or what failed the exchange.
    func send(_ messages: [String], to target: Target) async -> [Result<ClientResponse, any Error>] {
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

    private func sendBatch(_ messages: [String], to target: Target) async -> [Result<ClientResponse, any Error>] {
        if messages.count == 1 || singleOnly.withLock({ $0.contains(target) }) {
            return await sendEach(messages, to: target)
        }
        let response: ClientResponse
        do {
            response = try await client.send(
                url: target.endpoint + "/peer/v1/messages/batch",
                body: try JSONEncoder().encode(PeerBatch(messages: messages)),
                headerFields: [.contentType: PeerBatch.mediaType, .accept: PeerBatch.mediaType],
                pinnedPublicKey: target.pinnedPublicKey)
        } catch {
            return Array(repeating: .failure(error), count: messages.count)
        }
        switch response.status.code {
        case 200:
            guard let answer = try? JSONDecoder().decode(PeerBatchAnswer.self, from: response.body),
                answer.results.count == messages.count
            else {
                // Not what a batch is answered with: the peer is failing, and every message is
                // retried as if the exchange had failed.
                let problem = ProblemDetails(
                    RefGateError(.internalError, "the peer's answer to a batch is not one result per message"))
                return Array(
                    repeating: .success(Self.response(problem, like: response, status: 502)), count: messages.count)
            }
            return answer.results.map { .success(Self.response($0, like: response)) }
        case 404, 405, 415:
            // A peer without the batch endpoint.
            _ = singleOnly.withLock { $0.insert(target) }
            return await sendEach(messages, to: target)
        case 400...499 where ![408, 425, 429].contains(response.status.code):
            return await sendEach(messages, to: target)
        default:
            // The peer is failing or asks us to wait (5xx, 408, 425, 429): that is every
            // message's answer.
            return Array(repeating: .success(response), count: messages.count)
        }
    }

    private func sendEach(_ messages: [String], to target: Target) async -> [Result<ClientResponse, any Error>] {
        await messages.concurrentMap { message in
            do {
                return .success(
                    try await self.client.send(
                        url: target.endpoint + "/peer/v1/messages", body: Data(message.utf8),
                        headerFields: [.contentType: PeerAPI.joseMediaType, .accept: PeerAPI.joseMediaType],
                        pinnedPublicKey: target.pinnedPublicKey))
            } catch {
                return .failure(error)
            }
        }
    }

    /// One message's answer, as the single-message endpoint would have given it.
    private static func response(_ result: PeerBatchAnswer.Result, like batch: ClientResponse) -> ClientResponse {
        if let receipt = result.receipt {
            return ClientResponse(
                status: .ok, headerFields: [.contentType: PeerAPI.joseMediaType], body: Data(receipt.utf8),
                retryAfter: nil, newConnections: batch.newConnections)
        }
        guard let problem = result.problem else {
            let missing = ProblemDetails(RefGateError(.internalError, "the peer gave neither a receipt nor a problem"))
            return response(missing, like: batch, status: 502)
        }
        return response(problem, like: batch, status: problem.status)
    }

    private static func response(_ problem: ProblemDetails, like batch: ClientResponse, status: Int) -> ClientResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ClientResponse(
            status: HTTPResponse.Status(code: status), headerFields: [.contentType: ProblemDetails.mediaType],
            body: (try? encoder.encode(problem)) ?? Data(), retryAfter: nil, newConnections: batch.newConnections)
    }
}
