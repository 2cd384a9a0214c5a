import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RefGateCore

/// Request context of the local API and the dashboard: who is calling, and JSON in and out
/// with refgate's conventions (RFC 3339 instants at millisecond precision), through
/// Hummingbird's request decoding and response encoding rather than by hand.
public struct LocalRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's core storage.
    public var coreContext: CoreRequestContextStorage
    /// Who is calling, once authenticated.
    public var principal: Principal?
    /// The dashboard session's CSRF token and cookie, when signed in through the dashboard.
    public var session: (cookie: String, csrf: String)?
    /// The address the connection comes from (nil in in-process router tests).
    public let remoteAddress: SocketAddress?
    /// Decodes request bodies, turning decoding failures into `invalid-input` that name the field.
    public var requestDecoder: LocalJSONDecoder { LocalJSONDecoder() }
    /// Encodes responses; a value that cannot be encoded is a server fault (500), never `{}`.
    public var responseEncoder: LocalJSONEncoder { LocalJSONEncoder() }

    /// Creates a context.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
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
        return try Self.decode(T.self, from: Data(buffer: body))
    }

    /// Decodes `type` from a JSON body already read. Every string in it, at any depth, must be
    /// at most ``maxText`` characters: one bound for every free-text field of the API (the
    /// length of the messages' own longest text), so no field can carry megabytes into the
    /// permanent audit log; fields with a tighter bound check it where they are used.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let value = try? JSONValue.parse(data), let path = Self.overlong(value, at: "") {
            throw RefGateError(
                .invalidInput, "\(path.isEmpty ? "the body" : path) is longer than \(maxText) characters")
        }
        do {
            return try MessageCoding.decoder().decode(T.self, from: data)
        } catch {
            throw RefGateError(.invalidInput, DecodingError.explain(error, noun: "field"))
        }
    }

    /// Longest string accepted anywhere in a local API body.
    public static let maxText = 4_000

    /// The path of the first string longer than ``maxText``, if any.
    static func overlong(_ value: JSONValue, at path: String) -> String? {
        switch value {
        case .string(let text): return text.count > maxText ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = overlong(item, at: "\(path)[\(index)]") { return found }
            }
        case .object(let members):
            for (key, item) in members {
                if let found = overlong(item, at: path.isEmpty ? key : "\(path).\(key)") { return found }
            }
        default: break
        }
        return nil
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
