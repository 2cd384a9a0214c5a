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
        self.title = Self.title(for: error.code)
        self.status = status.code
        self.detail = error.detail
        self.code = error.code.rawValue
    }

    /// The one place where error codes meet HTTP statuses.
    public static func status(for code: RefGateError.Code) -> HTTPResponse.Status {
        switch code {
        case .schemaInvalid, .malformedMessage, .invalidInput, .clockSkew: .badRequest
        case .unauthorized: .unauthorized
        case .unknownClientCertificate, .senderMismatch, .unknownSigningKey, .badSignature: .forbidden
        case .unknownCase, .notFound: .notFound
        case .messageIDConflict, .invalidTransition: .conflict
        case .messageTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .wrongRecipient: .misdirectedRequest
        case .responderNotSeniorEnough, .unknownAuthority, .directoryInvalid, .directoryExpired, .directoryRollback:
            .unprocessableContent
        default: .internalServerError
        }
    }

    static func title(for code: RefGateError.Code) -> String {
        switch code {
        case .schemaInvalid: "Message does not match its schema"
        case .malformedMessage: "Body is not a refgate JWS"
        case .unknownClientCertificate: "TLS client certificate is not in the directory"
        case .senderMismatch: "Sender does not match the TLS client or the signer"
        case .unknownSigningKey: "Signing key is not a current sign certificate in the directory"
        case .badSignature: "Signature does not verify"
        case .wrongRecipient: "Message is addressed to another authority"
        case .clockSkew: "sentAt is outside the allowed clock skew"
        case .messageTooLarge: "Message exceeds the size cap"
        case .messageIDConflict: "Message id reused for different content"
        case .responderNotSeniorEnough: "Responder is not senior enough (para 5)"
        case .unknownCase: "Unknown case"
        case .invalidTransition: "Not allowed in the case's current state"
        case .invalidInput: "Invalid input"
        case .unsupportedMediaType: "Unsupported media type"
        case .unauthorized: "Missing or wrong bearer token"
        case .notFound: "Not found"
        case .unknownAuthority: "Authority is not in the directory"
        case .directoryInvalid: "Directory failed verification"
        case .directoryExpired: "Directory has expired"
        case .directoryRollback: "Directory is older than the one held"
        default: "Internal error"
        }
    }

    /// A problem+json HTTP response for any error; unexpected errors are logged and not revealed.
    public static func response(for error: any Error, logger: Logger) -> Response {
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
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            problem = ProblemDetails(
                RefGateError(.internalError, "the node could not process the request; see its log"))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(problem)) ?? Data()
        return Response(
            status: HTTPResponse.Status(code: problem.status),
            headers: [.contentType: mediaType],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
