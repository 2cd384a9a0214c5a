import Foundation

/// Any signed message a node can receive, decoded by its `type`.
public enum RefGateMessage: Sendable, Hashable {
    /// A verification request.
    case request(VerificationRequest)
    /// A verification response.
    case response(VerificationResponse)
    /// A receipt.
    case receipt(Receipt)
    /// An escalation notice.
    case escalationNotice(EscalationNotice)
    /// An escalation acknowledgement.
    case escalationAcknowledgement(EscalationAcknowledgement)
    /// A checkpoint (a signed tree head to witness).
    case checkpoint(Checkpoint)
    /// An authority's figures for the coordinator.
    case regionalFigures(RegionalFigures)

    /// The message kind.
    public var kind: MessageKind {
        switch self {
        case .request: .verificationRequest
        case .response: .verificationResponse
        case .receipt: .receipt
        case .escalationNotice: .escalationNotice
        case .escalationAcknowledgement: .escalationAcknowledgement
        case .checkpoint: .checkpoint
        case .regionalFigures: .regionalFigures
        }
    }

    /// The message id.
    public var id: String {
        switch self {
        case .request(let m): m.id
        case .response(let m): m.id
        case .receipt(let m): m.id
        case .escalationNotice(let m): m.id
        case .escalationAcknowledgement(let m): m.id
        case .checkpoint(let m): m.id
        case .regionalFigures(let m): m.id
        }
    }

    /// The sender.
    public var from: AuthorityID {
        switch self {
        case .request(let m): m.from
        case .response(let m): m.from
        case .receipt(let m): m.from
        case .escalationNotice(let m): m.from
        case .escalationAcknowledgement(let m): m.from
        case .checkpoint(let m): m.from
        case .regionalFigures(let m): m.from
        }
    }

    /// The addressee.
    public var to: AuthorityID {
        switch self {
        case .request(let m): m.to
        case .response(let m): m.to
        case .receipt(let m): m.to
        case .escalationNotice(let m): m.to
        case .escalationAcknowledgement(let m): m.to
        case .checkpoint(let m): m.to
        case .regionalFigures(let m): m.to
        }
    }

    /// When the sender signed it (receipts: when the message was received).
    public var sentAt: Date {
        switch self {
        case .request(let m): m.sentAt
        case .response(let m): m.sentAt
        case .receipt(let m): m.receivedAt
        case .escalationNotice(let m): m.sentAt
        case .escalationAcknowledgement(let m): m.sentAt
        case .checkpoint(let m): m.sentAt
        case .regionalFigures(let m): m.sentAt
        }
    }

    /// The case a message belongs to (nil for receipts, checkpoints and figures).
    public var caseID: String? {
        switch self {
        case .request(let m): m.caseId
        case .response(let m): m.caseId
        case .escalationNotice(let m): m.caseId
        case .escalationAcknowledgement(let m): m.caseId
        case .checkpoint, .receipt, .regionalFigures: nil
        }
    }

    /// Validates a payload against its schema, then decodes it.
    ///
    /// Schema validation comes first so a peer gets the schema's precise complaint rather
    /// than a Swift decoding error.
    public static func decode(payload: Data, validator: SchemaValidator = .shared) throws -> RefGateMessage {
        let json: JSONValue
        do {
            json = try JSONValue.parse(payload)
        } catch {
            throw RefGateError(.schemaInvalid, "payload is not JSON: \(error)")
        }
        guard case .string(let typeText)? = json["type"], let kind = MessageKind(rawValue: typeText) else {
            throw RefGateError(
                .schemaInvalid,
                "/type: must be one of \(MessageKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try validator.validate(json, against: kind.schemaName)
        // From the value already parsed and checked, not from the bytes again.
        let decoder = JSONValueDecoder()
        let message: RefGateMessage
        do {
            message = try decode(kind, from: json, decoder: decoder)
        } catch {
            throw RefGateError(.schemaInvalid, "payload does not decode as \(kind.rawValue): \(error)")
        }
        // The schema checks a registration number's form; the regulator's own form is checked here.
        if case .request(let request) = message {
            let registration = request.candidate.registration
            do {
                _ = try ProfessionalRegistration(body: registration.body, number: registration.number)
            } catch let error as RefGateError {
                throw RefGateError(.schemaInvalid, "/candidate/registration: \(error.detail)")
            }
        }
        return message
    }

    private static func decode(_ kind: MessageKind, from json: JSONValue, decoder: JSONValueDecoder) throws
        -> RefGateMessage
    {
        do {
            switch kind {
            case .verificationRequest: return .request(try decoder.decode(VerificationRequest.self, from: json))
            case .verificationResponse: return .response(try decoder.decode(VerificationResponse.self, from: json))
            case .receipt: return .receipt(try decoder.decode(Receipt.self, from: json))
            case .escalationNotice: return .escalationNotice(try decoder.decode(EscalationNotice.self, from: json))
            case .escalationAcknowledgement:
                return .escalationAcknowledgement(try decoder.decode(EscalationAcknowledgement.self, from: json))
            case .checkpoint: return .checkpoint(try decoder.decode(Checkpoint.self, from: json))
            case .regionalFigures:
                return .regionalFigures(try decoder.decode(RegionalFigures.self, from: json))
            }
        }
    }
}
