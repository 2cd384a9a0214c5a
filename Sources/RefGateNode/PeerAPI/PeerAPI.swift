import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RefGateCore

/// The peer API, `POST /peer/v1/messages`: signed messages in, signed receipts out; and
/// `POST /peer/v1/messages/batch`, the same for several messages in one exchange.
public struct PeerAPI: Sendable {
    let intake: any MessageIntake
    let maxMessageBytes: Int
    /// Counts refusals by problem type.
    let metrics: NodeMetrics?
    /// The directory version in force, said on every answer; nil says none.
    var directoryVersion: (@Sendable () async -> Int)? = nil
    /// Told the directory version a peer's request says it holds.
    var peerDirectory: (@Sendable (Int) async -> Void)? = nil

    /// Creates the API over an intake.
    public init(intake: any MessageIntake, maxMessageBytes: Int, metrics: NodeMetrics? = nil) {
        self.intake = intake
        self.maxMessageBytes = maxMessageBytes
        self.metrics = metrics
    }

    /// The media type of a compact JWS body.
    public static let joseMediaType = "application/jose"

    /// Builds the router.
    public func router() -> Router<PeerRequestContext> {
        let router = Router(context: PeerRequestContext.self)
        router.add(middleware: VersionMiddleware(directoryVersion: directoryVersion))
        router.add(middleware: ProblemMiddleware())
        if let peerDirectory {
            router.add(middleware: DirectoryHintMiddleware(told: peerDirectory))
        }
        router.post("/peer/v1/messages") { request, context in
            try await counted {
                let response = try await self.receive(request, context: context)
                await self.noteVersion(request, context: context)
                return response
            }
        }
        router.post("/peer/v1/messages/batch") { request, context in
            try await counted {
                let response = try await self.receiveBatch(request, context: context)
                await self.noteVersion(request, context: context)
                return response
            }
        }
        router.get("/peer/v1/exchange") { request, context in
            guard let text = request.uri.queryParameters["since"], let since = MessageCoding.parseInstant(String(text))
            else {
                throw RefGateError(.invalidInput, "give since=<RFC 3339 instant>, e.g. since=2026-12-01T00:00:00.000Z")
            }
            let after = request.uri.queryParameters["after"].map(String.init).flatMap { $0.utf8.count <= 64 ? $0 : nil }
            let log = try await intake.exchangeLog(
                since: since, after: after, clientCertificateDER: await context.clientCertificateDER())
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: try MessageCoding.encoder().encode(log))))
        }
        router.get("/peer/v1/directory") { _, context in
            // The directory in force, to members only (any member's node can be a source).
            let compact = try await intake.directory(clientCertificateDER: await context.clientCertificateDER())
            return Response(
                status: .ok, headers: [.contentType: "application/jose"],
                body: .init(byteBuffer: ByteBuffer(string: compact + "\n")))
        }
        router.get("/peer/v1/checkpoints") { _, context in
            let heads = try await intake.checkpoints(clientCertificateDER: await context.clientCertificateDER())
            let body = try MessageCoding.encoder().encode(WitnessedHeads(treeHeads: heads))
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return router
    }

    /// Runs a route, counting a refusal by its problem type.
    /// The sender's release, from a request this node answered, for the format of what goes back.
    private func noteVersion(_ request: Request, context: PeerRequestContext) async {
        guard let version = request.headers[.refgateVersion] else { return }
        await intake.notePeerVersion(version, clientCertificateDER: await context.clientCertificateDER())
    }

    private func counted(_ route: () async throws -> Response) async throws -> Response {
        do {
            return try await route()
        } catch let error as RefGateError {
            metrics?.inboundRejection(code: error.code.rawValue)
            throw error
        }
    }

    private func receive(_ request: Request, context: PeerRequestContext) async throws -> Response {
        let contentType = request.headers[.contentType]?.split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard contentType == Self.joseMediaType else {
            throw RefGateError(
                .unsupportedMediaType, "send the compact JWS with Content-Type: \(Self.joseMediaType)")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxMessageBytes {
            throw RefGateError(.messageTooLarge, "the body is \(length) bytes; the cap is \(maxMessageBytes)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxMessageBytes)
        } catch {
            throw RefGateError(.messageTooLarge, "the body exceeds the cap of \(maxMessageBytes) bytes")
        }
        let compact = String(buffer: buffer)
        metrics?.inboundExchange(batch: false, messages: 1)
        let accepted = try await intake.accept(
            compact: compact, clientCertificateDER: await context.clientCertificateDER())
        return Response(
            status: .ok, headers: [.contentType: Self.joseMediaType],
            body: .init(byteBuffer: ByteBuffer(string: accepted.receipt)))
    }

    /// A batch: each message is accepted (or refused) exactly as `POST /peer/v1/messages` would,
    /// all of them at once so their commits share transactions; the answer lists each result.
    /// Only the batch's own form (media type, size, shape) fails the whole exchange.
    private func receiveBatch(_ request: Request, context: PeerRequestContext) async throws -> Response {
        let contentType = request.headers[.contentType]?.split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard contentType == PeerBatch.mediaType else {
            throw RefGateError(.unsupportedMediaType, "send a batch with Content-Type: \(PeerBatch.mediaType)")
        }
        // Bounded like one message, not like 64 of them: a peer's connections cannot make
        // this node hold more than a megabyte each. A sender whose batch is larger hears 413
        // and sends its messages one by one.
        let cap = max(PeerBatch.maxBytes, maxMessageBytes + 64)
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: cap)
        } catch {
            throw RefGateError(.messageTooLarge, "the batch exceeds the cap of \(cap) bytes")
        }
        guard let batch = try? JSONDecoder().decode(PeerBatch.self, from: buffer) else {
            throw RefGateError(.invalidInput, #"a batch is {"messages": ["<compact JWS>", …]}"#)
        }
        guard (1...PeerBatch.maxMessages).contains(batch.messages.count) else {
            throw RefGateError(
                .messageTooLarge, "a batch holds 1 to \(PeerBatch.maxMessages) messages, not \(batch.messages.count)")
        }
        metrics?.inboundExchange(batch: true, messages: batch.messages.count)
        // A message over the cap is refused alone; the others go on.
        let fitting = batch.messages.indices.filter { batch.messages[$0].utf8.count <= maxMessageBytes }
        let accepted = await intake.accept(
            batch: fitting.map { batch.messages[$0] }, clientCertificateDER: await context.clientCertificateDER())
        var outcomes = batch.messages.map { message -> Result<AcceptedMessage, any Error> in
            .failure(
                RefGateError(
                    .messageTooLarge, "the message is \(message.utf8.count) bytes; the cap is \(maxMessageBytes)"))
        }
        for (index, outcome) in zip(fitting, accepted) { outcomes[index] = outcome }
        let results = outcomes.map { outcome -> PeerBatchAnswer.Result in
            switch outcome {
            case .success(let accepted): return .init(receipt: accepted.receipt)
            case .failure(let error):
                if let refusal = error as? RefGateError { metrics?.inboundRejection(code: refusal.code.rawValue) }
                return .init(problem: ProblemDetails.problem(for: error, logger: context.logger))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok, headers: [.contentType: PeerBatch.mediaType],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(PeerBatchAnswer(results: results)))))
    }
}

/// The answer of `GET /peer/v1/checkpoints`: the caller's own signed tree heads that this node
/// witnessed, oldest first.
public struct WitnessedHeads: Codable, Sendable {
    /// Compact JWS tree heads.
    public var treeHeads: [String]
    /// Creates an answer.
    public init(treeHeads: [String]) { self.treeHeads = treeHeads }
}
