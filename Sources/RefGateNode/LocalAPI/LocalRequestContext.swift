import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RefGateCore

/// Request context of the local API and the dashboard: who is calling, and JSON in and out
/// with refgate's conventions (RFC 3339 instants at millisecond precision), through
/// Hummingbird's request decoding and response encoding rather than by hand.
public struct LocalRequestContext: RequestContext {
    /// Hummingbird's core storage.
    public var coreContext: CoreRequestContextStorage
    /// Who is calling, once authenticated.
    public var principal: Principal?
    /// The dashboard session's CSRF token and cookie, when signed in through the dashboard.
    public var session: (cookie: String, csrf: String)?
    /// Decodes request bodies, turning decoding failures into `invalid-input` that name the field.
    public var requestDecoder: LocalJSONDecoder { LocalJSONDecoder() }
    /// Encodes responses; a value that cannot be encoded is a server fault (500), never `{}`.
    public var responseEncoder: LocalJSONEncoder { LocalJSONEncoder() }

    /// Creates a context.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// The local API's request decoder.
public struct LocalJSONDecoder: RequestDecoder {
    /// Largest body read.
    static let maxBody = 1 << 20

    /// Decodes `type` from the body, or throws `invalid-input` saying which field is wrong.
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext)
        async throws -> T
    {
        let body = try await request.body.collect(upTo: Self.maxBody)
        do {
            return try MessageCoding.decoder().decode(T.self, from: Data(buffer: body))
        } catch {
            throw RefGateError(.invalidInput, DecodingError.explain(error, noun: "field"))
        }
    }
}

/// The local API's response encoder: pretty-printed JSON.
public struct LocalJSONEncoder: ResponseEncoder {
    /// Encodes `value` as an `application/json` response.
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws
        -> Response
    {
        let encoder = MessageCoding.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// A value answered as JSON by the context's encoder, with a status.
struct JSONResponse<Value: Encodable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.status = status
        return response
    }
}
