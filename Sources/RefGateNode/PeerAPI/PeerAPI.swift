import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RefGateCore

/// The peer API, `POST /peer/v1/messages`: signed messages in, signed receipts out.
public struct PeerAPI: Sendable {
    let intake: any MessageIntake
    let maxMessageBytes: Int
    /// Counts refusals by problem type.
    let metrics: NodeMetrics?

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
        router.add(middleware: ProblemMiddleware())
        router.post("/peer/v1/messages") { request, context in
            do {
                return try await self.receive(request, context: context)
            } catch let error as RefGateError {
                metrics?.inboundRejection(code: error.code.rawValue)
                throw error
            }
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
        let accepted = try await intake.accept(
            compact: compact, clientCertificateDER: await context.clientCertificateDER())
        return Response(
            status: .ok, headers: [.contentType: Self.joseMediaType],
            body: .init(byteBuffer: ByteBuffer(string: accepted.receipt)))
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
