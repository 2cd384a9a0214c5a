import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RefGateCore

/// An RFC 9457 problem document. `type` is `urn:refgate:problem:<code>`, stable per error code.
public struct ProblemDetails: Codable, Sendable, Equatable {
    /// Stable problem type URI.
    public var type: String
    /// Short summary of the type.
    public var title: String
    /// HTTP status.
    public var status: Int
    /// What went wrong this time.
    public var detail: String
    /// The stable error code (also the last part of `type`).
    public var code: String

    /// The media type of problem documents.
    public static let mediaType = "application/problem+json"
    /// The prefix of every refgate problem type.
    public static let typePrefix = "urn:refgate:problem:"

    /// The problem for a refgate error.
    public init(_ error: RefGateError) {
        let status = Self.status(for: error.code)
        self.type = Self.typePrefix + error.code.rawValue
        self.title = error.code.title
        self.status = status.code
        self.detail = error.detail
        self.code = error.code.rawValue
    }

    /// The one place where error codes meet HTTP statuses: by the code's kind, exhaustively,
    /// so a new code cannot fall silently into 400 or 500.
    public static func status(for code: RefGateError.Code) -> HTTPResponse.Status {
        switch code.kind {
        case .badInput: .badRequest
        case .unauthenticated: .unauthorized
        case .untrusted, .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .misdirected: .misdirectedRequest
        case .unprocessable: .unprocessableContent
        case .serverFault: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    /// A problem+json HTTP response for any error; unexpected errors are logged and not revealed.
    public static func response(for error: any Error, logger: Logger) -> Response {
        let problem = problem(for: error, logger: logger)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(problem)) ?? Data()
        var headers: HTTPFields = [.contentType: mediaType]
        // Unavailable for now (the database restarting): worth asking again in a moment.
        if problem.status == 503 { headers[.retryAfter] = "1" }
        return Response(
            status: HTTPResponse.Status(code: problem.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The problem for any error; unexpected errors are logged and not revealed.
    public static func problem(for error: any Error, logger: Logger) -> ProblemDetails {
        let problem: ProblemDetails
        switch error {
        case let error as RefGateError:
            problem = ProblemDetails(error)
        case let error as HTTPError:
            let code: RefGateError.Code =
                switch error.status {
                case .notFound: .notFound
                case .contentTooLarge: .messageTooLarge
                case .unauthorized: .unauthorized
                default: error.status.code < 500 ? .invalidInput : .internalError
                }
            var mapped = ProblemDetails(RefGateError(code, error.body ?? error.status.reasonPhrase))
            mapped.status = error.status.code
            problem = mapped
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(describing: error).escapedForDisplay())"])
            problem = ProblemDetails(
                RefGateError(.internalError, "the node could not process the request; see its log"))
        }
        return problem
    }
}
