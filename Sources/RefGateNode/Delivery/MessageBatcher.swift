import Foundation
import HTTPTypes
import RefGateCore
import RefGateTransport
import Synchronization

/// Puts the messages that are due for the same peer at the same time into one exchange,
/// `POST /peer/v1/messages/batch`, and hands each caller the answer its own message got, as
/// if it had been sent alone. Under light load nothing waits: a message goes at once, alone,
/// by the single-message endpoint. Only while `maxInFlight` exchanges to a peer are already
/// under way do messages queue, and the next exchange takes all of them (up to
/// `PeerBatch.maxMessages`).
///
/// A peer that does not know the batch endpoint (404, 405, 415) is sent single messages from
/// then on; a batch refused as a whole for its form is sent again message by message, so each
/// message gets the peer's own verdict on it.
final class MessageBatcher: Sendable {
    /// Where messages go: a peer's endpoint and the key its TLS certificate must have.
    struct Target: Hashable, Sendable {
        var endpoint: String
        var pinnedPublicKey: String?
    }

    private struct State {
        var queued: [Target: [Waiter]] = [:]
        var sending: [Target: Int] = [:]
        var singleOnly: Set<Target> = []
    }

    private let client: CurlHTTPClient
    private let maxInFlight: Int
    private let state = Mutex(State())

    init(client: CurlHTTPClient, maxInFlight: Int = 2) {
        self.client = client
        self.maxInFlight = maxInFlight
    }

    /// Sends one compact JWS and returns the peer's answer to it (a receipt with 200, or the
    /// problem it would have answered alone), or throws what failed the exchange.
    func send(_ compact: String, to target: Target) async throws -> ClientResponse {
        let waiter = Waiter(compact)
        let leads = state.withLock { state -> Bool in
            if state.sending[target, default: 0] < maxInFlight {
                state.sending[target, default: 0] += 1
                return true
            }
            state.queued[target, default: []].append(waiter)
            return false
        }
        if !leads {
            let outcome = await withTaskCancellationHandler {
                await waiter.wait()
            } onCancel: {
                let removed = state.withLock { state -> Bool in
                    guard let index = state.queued[target]?.firstIndex(where: { $0 === waiter }) else { return false }
                    state.queued[target]?.remove(at: index)
                    return true
                }
                if removed { waiter.resolve(.done(.failure(CancellationError()))) }
            }
            guard case .lead = outcome else { return try waiter.result() }
        }
        await lead(target, first: waiter)
        return try waiter.result()
    }

    /// Sends `first` with whatever queued for the target, then hands the lead to the next
    /// queued message, or gives up the slot.
    private func lead(_ target: Target, first: Waiter) async {
        let (batch, single) = state.withLock { state -> ([Waiter], Bool) in
            let queued = state.queued[target] ?? []
            let taken = Array(queued.prefix(PeerBatch.maxMessages - 1))
            state.queued[target] = Array(queued.dropFirst(taken.count))
            return ([first] + taken, state.singleOnly.contains(target))
        }
        if batch.count == 1 || single {
            await sendEach(batch, to: target)
        } else {
            await sendBatch(batch, to: target)
        }
        let next = state.withLock { state -> Waiter? in
            guard var queued = state.queued[target], !queued.isEmpty else {
                state.sending[target, default: 1] -= 1
                return nil
            }
            let next = queued.removeFirst()
            state.queued[target] = queued
            return next
        }
        next?.resolve(.lead)
    }

    private func sendEach(_ batch: [Waiter], to target: Target) async {
        await withTaskGroup(of: Void.self) { group in
            for waiter in batch {
                group.addTask {
                    do {
                        waiter.resolve(
                            .done(
                                .success(
                                    try await self.client.send(
                                        url: target.endpoint + "/peer/v1/messages", body: Data(waiter.compact.utf8),
                                        headerFields: [.contentType: PeerAPI.joseMediaType, .accept: PeerAPI.joseMediaType],
                                        pinnedPublicKey: target.pinnedPublicKey))))
                    } catch {
                        waiter.resolve(.done(.failure(error)))
                    }
                }
            }
        }
    }

    private func sendBatch(_ batch: [Waiter], to target: Target) async {
        let response: ClientResponse
        do {
            let body = try JSONEncoder().encode(PeerBatch(messages: batch.map(\.compact)))
            response = try await client.send(
                url: target.endpoint + "/peer/v1/messages/batch", body: body,
                headerFields: [.contentType: PeerBatch.mediaType, .accept: PeerBatch.mediaType],
                pinnedPublicKey: target.pinnedPublicKey)
        } catch {
            for waiter in batch { waiter.resolve(.done(.failure(error))) }
            return
        }
        switch response.status.code {
        case 200:
            guard let answer = try? JSONDecoder().decode(PeerBatchAnswer.self, from: response.body),
                answer.results.count == batch.count
            else {
                // Not what a batch is answered with: the peer is failing, so every message is
                // retried as if the exchange had failed.
                let problem = ProblemDetails(
                    RefGateError(.internalError, "the peer's answer to a batch is not one result per message"))
                for waiter in batch { waiter.resolve(.done(.success(Self.response(problem, like: response, status: 502)))) }
                return
            }
            for (waiter, result) in zip(batch, answer.results) {
                waiter.resolve(.done(.success(Self.response(result, like: response))))
            }
        case 404, 405, 415:
            // A peer without the batch endpoint.
            _ = state.withLock { $0.singleOnly.insert(target) }
            await sendEach(batch, to: target)
        case 400...499 where ![408, 425, 429].contains(response.status.code):
            await sendEach(batch, to: target)
        default:
            // The peer is failing or asks us to wait (5xx, 408, 425, 429): that is every
            // message's answer.
            for waiter in batch { waiter.resolve(.done(.success(response))) }
        }
    }

    /// One message's answer, as the single-message endpoint would have given it.
    private static func response(_ result: PeerBatchAnswer.Result, like batch: ClientResponse) -> ClientResponse {
        if let receipt = result.receipt {
            return ClientResponse(
                status: .ok, headerFields: [.contentType: PeerAPI.joseMediaType], body: Data(receipt.utf8),
                retryAfter: nil, newConnections: batch.newConnections)
        }
        let problem =
            result.problem
            ?? ProblemDetails(RefGateError(.internalError, "the peer gave neither a receipt nor a problem"))
        return response(problem, like: batch, status: result.problem == nil ? 502 : problem.status)
    }

    private static func response(_ problem: ProblemDetails, like batch: ClientResponse, status: Int) -> ClientResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ClientResponse(
            status: HTTPResponse.Status(code: status), headerFields: [.contentType: ProblemDetails.mediaType],
            body: (try? encoder.encode(problem)) ?? Data(), retryAfter: nil, newConnections: batch.newConnections)
    }
}

/// One message waiting in a `MessageBatcher`: told either to lead the next exchange, or
/// what its own exchange came to.
private final class Waiter: Sendable {
    enum Outcome: Sendable {
        case lead
        case done(Result<ClientResponse, any Error>)
    }

    let compact: String
    private let state = Mutex<(outcome: Outcome?, continuation: CheckedContinuation<Outcome, Never>?)>((nil, nil))

    init(_ compact: String) { self.compact = compact }

    func resolve(_ outcome: Outcome) {
        let continuation = state.withLock { state in
            state.outcome = outcome
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: outcome)
    }

    func wait() async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Outcome? in
                if let outcome = state.outcome { return outcome }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The exchange's result, once `done`.
    func result() throws -> ClientResponse {
        guard case .done(let result) = state.withLock({ $0.outcome }) else { throw CancellationError() }
        return try result.get()
    }
}
