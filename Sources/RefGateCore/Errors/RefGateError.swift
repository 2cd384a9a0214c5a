/// An error a user or a peer can act on, with a stable machine-readable code.
///
/// Codes never change once published: peers and operators match on them. The node
/// maps them to HTTP statuses and RFC 9457 problem types in one place.
public struct RefGateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable code, e.g. `schema-invalid`.
    public var code: Code
    /// A human-readable explanation of this occurrence.
    public var detail: String

    /// Creates an error with a code and a detail.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// A description that names the code and the detail.
    public var description: String { "\(code.rawValue): \(detail)" }

    /// A stable error code. New codes are added as static members; existing ones never change.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's text, as it appears in problem types.
        public var rawValue: String
        /// Creates a code from its text.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's text.
        public var description: String { rawValue }
    }
}

extension RefGateError.Code {
    /// The message does not match its JSON Schema.
    public static let schemaInvalid = Self(rawValue: "schema-invalid")
    /// The JWS could not be parsed.
    public static let malformedMessage = Self(rawValue: "malformed-message")
    /// The JWS `kid` is not a current sign certificate in the directory.
    public static let unknownSigningKey = Self(rawValue: "unknown-signing-key")
    /// The JWS signature does not verify.
    public static let badSignature = Self(rawValue: "bad-signature")
    /// The TLS client certificate is not an auth certificate in the directory.
    public static let unknownClientCertificate = Self(rawValue: "unknown-client-certificate")
    /// `from` does not name the authority of the TLS client certificate or the signing key.
    public static let senderMismatch = Self(rawValue: "sender-mismatch")
    /// `to` does not name this node.
    public static let wrongRecipient = Self(rawValue: "wrong-recipient")
    /// `sentAt` is outside the allowed clock skew.
    public static let clockSkew = Self(rawValue: "clock-skew")
    /// The body exceeds the size cap.
    public static let messageTooLarge = Self(rawValue: "message-too-large")
    /// A message id was reused with different content.
    public static let messageIDConflict = Self(rawValue: "message-id-conflict")
    /// Para 5: a team-manager reference must be answered by a service manager or more senior.
    public static let responderNotSeniorEnough = Self(rawValue: "responder-not-senior-enough")
    /// The case named by a message or command does not exist.
    public static let unknownCase = Self(rawValue: "unknown-case")
    /// The case is not in a state that allows the action.
    public static let invalidTransition = Self(rawValue: "invalid-transition")
    /// The request or command carried invalid input.
    public static let invalidInput = Self(rawValue: "invalid-input")
    /// The directory failed verification.
    public static let directoryInvalid = Self(rawValue: "directory-invalid")
    /// The directory has expired.
    public static let directoryExpired = Self(rawValue: "directory-expired")
    /// The directory is older than the one held.
    public static let directoryRollback = Self(rawValue: "directory-rollback")
    /// The named authority is not in the directory.
    public static let unknownAuthority = Self(rawValue: "unknown-authority")
    /// A certificate or key could not be read or failed a check.
    public static let certificateInvalid = Self(rawValue: "certificate-invalid")
    /// Authentication to the local admin API failed.
    public static let unauthorized = Self(rawValue: "unauthorized")
    /// The resource was not found.
    public static let notFound = Self(rawValue: "not-found")
    /// A configuration file is missing or wrong.
    public static let configurationInvalid = Self(rawValue: "configuration-invalid")
}

extension RefGateError.Code {
    /// The request body is not of an accepted media type.
    public static let unsupportedMediaType = Self(rawValue: "unsupported-media-type")
    /// A file or the database could not be written (disk full, permissions): a fault of the
    /// machine, not of the request.
    public static let storageFailed = Self(rawValue: "storage-failed")
    /// A listener could not start (address in use, permission, TLS set-up).
    public static let listenerFailed = Self(rawValue: "listener-failed")
    /// An unexpected failure inside the node (details are logged, not returned).
    public static let internalError = Self(rawValue: "internal-error")
}
