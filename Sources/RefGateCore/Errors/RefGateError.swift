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

    /// A stable error code. New codes are added as static members, each with its `Kind`, so no
    /// code can exist unclassified; existing ones never change.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's text, as it appears in problem types.
        public let rawValue: String
        /// What kind of refusal or failure it is (this fixes its HTTP status).
        public let kind: Kind
        /// A short summary of the problem type, the same for every occurrence (RFC 9457 `title`).
        public let title: String

        /// Creates a code. Stable codes are the static members; this is for those, and for a code
        /// read from a newer peer's or node's problem document.
        public init(_ rawValue: String, _ kind: Kind, title: String) {
            self.rawValue = rawValue
            self.kind = kind
            self.title = title
        }

        /// The code's text.
        public var description: String { rawValue }
        /// Who is at fault when this code is raised.
        public var fault: Fault { kind.fault }

        /// Codes are equal by their text.
        public static func == (a: Self, b: Self) -> Bool { a.rawValue == b.rawValue }
        /// Hashes the text.
        public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    }

    /// Who must act for the request to succeed.
    public enum Fault: String, Sendable, CaseIterable {
        /// The caller: a person, the CLI, or on the peer API the peer node. Sending the same
        /// request again will fail the same way until the caller changes it (or, for trust
        /// refusals, until both sides hold the same directory).
        case client
        /// This node or its machine (storage, configuration, a listener, a bug). The request
        /// may succeed later unchanged; details go to the log, not to the caller.
        case server
    }

    /// The kinds of refusal and failure. A small closed set that the HTTP layer maps
    /// exhaustively, one status each.
    public enum Kind: String, Sendable, CaseIterable {
        /// Malformed or invalid input (400).
        case badInput
        /// Missing or wrong credentials on the local API (401).
        case unauthenticated
        /// A trust check refused the caller or its signature (403).
        case untrusted
        /// The signed-in user's role does not allow the action (403).
        case forbidden
        /// What was named does not exist here (404).
        case notFound
        /// It contradicts what is held (409).
        case conflict
        /// Too large (413).
        case tooLarge
        /// Not an accepted media type (415).
        case unsupportedMediaType
        /// Meant for another authority (421).
        case misdirected
        /// Well-formed but against a rule of the procedure or the region (422).
        case unprocessable
        /// A failure of this node or its machine (500).
        case serverFault
        /// Something this node needs is down for now (503): the same call may succeed shortly,
        /// on this instance or another.
        case unavailable

        /// Who is at fault.
        public var fault: Fault { self == .serverFault || self == .unavailable ? .server : .client }
    }
}

extension RefGateError.Code {
    /// The message does not match its JSON Schema.
    public static let schemaInvalid = Self(
        "schema-invalid", .badInput, title: "Message does not match its schema")
    /// The JWS could not be parsed.
    public static let malformedMessage = Self(
        "malformed-message", .badInput, title: "Body is not a refgate JWS")
    /// The JWS `kid` is not a current sign certificate in the directory.
    public static let unknownSigningKey = Self(
        "unknown-signing-key", .untrusted, title: "Signing key is not a current sign certificate in the directory")
    /// The JWS signature does not verify.
    public static let badSignature = Self(
        "bad-signature", .untrusted, title: "Signature does not verify")
    /// The TLS client certificate is not an auth certificate in the directory.
    public static let unknownClientCertificate = Self(
        "unknown-client-certificate", .untrusted, title: "TLS client certificate is not in the directory")
    /// `from` does not name the authority of the TLS client certificate or the signing key.
    public static let senderMismatch = Self(
        "sender-mismatch", .untrusted, title: "Sender does not match the TLS client or the signer")
    /// `to` does not name this node.
    public static let wrongRecipient = Self(
        "wrong-recipient", .misdirected, title: "Message is addressed to another authority")
    /// Regional figures were sent to a node the directory does not name as the coordinator.
    public static let notCoordinator = Self(
        "not-coordinator", .misdirected, title: "This node is not the region's coordinator")
    /// `sentAt` is outside the allowed clock skew.
    public static let clockSkew = Self(
        "clock-skew", .badInput, title: "sentAt is outside the allowed clock skew")
    /// The body exceeds the size cap.
    public static let messageTooLarge = Self(
        "message-too-large", .tooLarge, title: "Message exceeds the size cap")
    /// A message id was reused with different content.
    public static let messageIDConflict = Self(
        "message-id-conflict", .conflict, title: "Message id reused for different content")
    /// Para 5: a team-manager reference must be answered by a service manager or more senior.
    public static let responderNotSeniorEnough = Self(
        "responder-not-senior-enough", .unprocessable, title: "Responder is not senior enough (para 5)")
    /// The case named by a message or command does not exist.
    public static let unknownCase = Self(
        "unknown-case", .notFound, title: "Unknown case")
    /// The case is not in a state that allows the action.
    public static let invalidTransition = Self(
        "invalid-transition", .conflict, title: "Not allowed in the case's current state")
    /// The request or command carried invalid input.
    public static let invalidInput = Self(
        "invalid-input", .badInput, title: "Invalid input")
    /// The directory failed verification.
    public static let directoryInvalid = Self(
        "directory-invalid", .unprocessable, title: "Directory failed verification")
    /// The directory has expired.
    public static let directoryExpired = Self(
        "directory-expired", .unprocessable, title: "Directory has expired")
    /// The directory is older than the one held.
    public static let directoryRollback = Self(
        "directory-rollback", .unprocessable, title: "Directory is older than the one held")
    /// The named authority is not in the directory.
    public static let unknownAuthority = Self(
        "unknown-authority", .unprocessable, title: "Authority is not in the directory")
    /// A certificate or key could not be read or failed a check.
    public static let certificateInvalid = Self(
        "certificate-invalid", .serverFault, title: "Certificate or key is unusable")
    /// Authentication to the local admin API failed.
    public static let unauthorized = Self(
        "unauthorized", .unauthenticated, title: "Missing or wrong bearer token")
    /// A peer's checkpoint does not extend the tree head this node holds from it: its log was
    /// rewritten, or the proof does not start where this node's witness stopped.
    public static let checkpointInconsistent = Self(
        "checkpoint-inconsistent", .conflict, title: "Checkpoint is not consistent with the one held")
    /// An evidence bundle or audit log failed verification.
    public static let evidenceInvalid = Self(
        "evidence-invalid", .unprocessable, title: "Evidence failed verification")
    /// The signed-in user's role does not allow this endpoint or page.
    public static let roleForbidden = Self(
        "role-forbidden", .forbidden, title: "Your role does not allow this")
    /// A user with that e-mail address already exists.
    public static let userExists = Self(
        "user-exists", .conflict, title: "A user with that e-mail address exists")
    /// An idempotency key already opened a case with a different request.
    public static let idempotencyKeyReused = Self(
        "idempotency-key-reused", .unprocessable, title: "Idempotency key was used for a different request")
    /// An appointment was recorded while the candidate is not cleared (paras 7–9).
    public static let appointmentBlocked = Self(
        "appointment-blocked", .conflict, title: "The candidate is not cleared for appointment")
    /// A signed-in user's request tried to say who acted: that comes from their sign-in.
    public static let identityFromSignIn = Self(
        "identity-from-sign-in", .badInput, title: "Who acted comes from the sign-in, not the request")
    /// A dashboard form arrived without the session's CSRF token.
    public static let csrfInvalid = Self(
        "csrf-invalid", .forbidden, title: "Form token missing or wrong")
    /// The resource was not found.
    public static let notFound = Self(
        "not-found", .notFound, title: "Not found")
    /// A configuration file is missing or wrong.
    public static let configurationInvalid = Self(
        "configuration-invalid", .serverFault, title: "Configuration is invalid")
}

extension RefGateError.Code {
    /// The request body is not of an accepted media type.
    public static let unsupportedMediaType = Self(
        "unsupported-media-type", .unsupportedMediaType, title: "Unsupported media type")
    /// A file or the database could not be written (disk full, permissions): a fault of the
    /// machine, not of the request.
    public static let storageFailed = Self(
        "storage-failed", .serverFault, title: "Storage failed")
    /// The database cannot be reached for now (PostgreSQL restarting, a connection lost): the
    /// call changed nothing and may be made again, here or on another instance.
    public static let databaseUnavailable = Self(
        "database-unavailable", .unavailable, title: "Database unavailable")
    /// A stored row holds a value this version does not know (a database written by a newer
    /// version, or damaged): a fault of this node, not of the request.
    public static let storedDataUnknown = Self(
        "stored-data-unknown", .serverFault, title: "Stored data is unknown to this version")
    /// A listener could not start (address in use, permission, TLS set-up).
    public static let listenerFailed = Self(
        "listener-failed", .serverFault, title: "Listener could not start")
    /// An unexpected failure inside the node (details are logged, not returned).
    public static let internalError = Self(
        "internal-error", .serverFault, title: "Internal error")
}

extension RefGateError.Code {
    /// Every stable code, for look-ups by text and for the tests that keep the list honest.
    public static let all: [Self] = [
        .schemaInvalid,
        .malformedMessage,
        .unknownSigningKey,
        .badSignature,
        .unknownClientCertificate,
        .senderMismatch,
        .wrongRecipient,
        .notCoordinator,
        .clockSkew,
        .messageTooLarge,
        .messageIDConflict,
        .responderNotSeniorEnough,
        .unknownCase,
        .invalidTransition,
        .invalidInput,
        .directoryInvalid,
        .directoryExpired,
        .directoryRollback,
        .unknownAuthority,
        .certificateInvalid,
        .unauthorized,
        .roleForbidden,
        .identityFromSignIn,
        .appointmentBlocked,
        .csrfInvalid,
        .userExists,
        .idempotencyKeyReused,
        .checkpointInconsistent,
        .evidenceInvalid,
        .notFound,
        .configurationInvalid,
        .unsupportedMediaType,
        .storageFailed,
        .databaseUnavailable,
        .storedDataUnknown,
        .listenerFailed,
        .internalError,
    ]

    /// The stable code with this text, if there is one.
    public static func known(_ rawValue: String) -> Self? { all.first { $0.rawValue == rawValue } }
}
