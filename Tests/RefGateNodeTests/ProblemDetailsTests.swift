import Foundation
import RefGateCore
import Testing

@testable import RefGateNode

/// Every error code is classified where it is defined, and maps to one HTTP status.
@Suite(.timeLimit(.minutes(2))) struct ProblemDetailsTests {
    /// The statuses the peer and admin APIs have always answered (the README lists them).
    static let published: [(RefGateError.Code, Int)] = [
        (.schemaInvalid, 400), (.malformedMessage, 400), (.invalidInput, 400), (.clockSkew, 400),
        (.unauthorized, 401), (.roleForbidden, 403), (.identityFromSignIn, 400), (.appointmentBlocked, 409),
        (.csrfInvalid, 403),
        (.userExists, 409),
        (.idempotencyKeyReused, 422),
        (.unknownClientCertificate, 403), (.senderMismatch, 403), (.unknownSigningKey, 403),
        (.badSignature, 403), (.unknownCase, 404), (.notFound, 404), (.messageIDConflict, 409),
        (.invalidTransition, 409), (.checkpointInconsistent, 409), (.evidenceInvalid, 422), (.messageTooLarge, 413),
        (.unsupportedMediaType, 415), (.wrongRecipient, 421), (.notCoordinator, 421),
        (.responderNotSeniorEnough, 422), (.unknownAuthority, 422), (.directoryInvalid, 422),
        (.directoryExpired, 422), (.directoryRollback, 422), (.certificateInvalid, 500),
        (.configurationInvalid, 500), (.storageFailed, 500), (.databaseUnavailable, 503), (.storedDataUnknown, 500),
        (.listenerFailed, 500),
        (.internalError, 500),
    ]

    @Test func everyCodeHasItsPublishedStatus() {
        #expect(Set(Self.published.map(\.0.rawValue)) == Set(RefGateError.Code.all.map(\.rawValue)))
        for (code, status) in Self.published {
            #expect(ProblemDetails.status(for: code).code == status, "\(code)")
            #expect((code.fault == .server) == (status >= 500), "\(code)")
            let problem = ProblemDetails(RefGateError(code, "x"))
            #expect(problem.type == "urn:refgate:problem:\(code.rawValue)")
            #expect(problem.title == code.title && !code.title.isEmpty)
        }
    }

    @Test func theListOfCodesIsComplete() throws {
        // Every `static let … = Self(` in the file that defines the codes is in `all`, once.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/RefGateCore/Errors/RefGateError.swift").standardized
        let text = try String(contentsOf: source, encoding: .utf8)
        let defined = text.components(separatedBy: "public static let ").dropFirst()
            .filter { $0.contains("= Self(") && !$0.hasPrefix("all") }.count
        #expect(defined == RefGateError.Code.all.count)
        #expect(Set(RefGateError.Code.all.map(\.rawValue)).count == RefGateError.Code.all.count)
        #expect(RefGateError.Code.known("clock-skew") == .clockSkew)
        #expect(RefGateError.Code.known("no-such-code") == nil)
    }
}
