import Foundation
import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct SchemaValidatorTests {
    let validator = SchemaValidator.shared

    @Test func aWellFormedRequestIsValid() throws {
        let data = try MessageCoding.encoder().encode(Fixtures.request())
        try validator.validate(json: data, against: "verification-request.schema.json")
        #expect(try RefGateMessage.decode(payload: data) == .request(Fixtures.request()))
    }

    /// Ways to break a request, each with the pointer the validator must name.
    enum Breakage: String, CaseIterable, Sendable {
        case missingField, extraField, badRegistration, unknownRole, wrongType, badInstant, impossibleDate
        case badAuthority, emptyName

        func apply(to o: inout [String: Any]) {
            switch self {
            case .missingField: o["respondBy"] = nil
            case .extraField: o["note"] = "x"
            case .badRegistration:
                o["candidate"] = ["name": "A", "registration": ["body": "social-work-england", "number": "HCPC1"]]
            case .unknownRole: o["role"] = "director"
            case .wrongType: o["agency"] = "Agency"
            case .badInstant: o["sentAt"] = "yesterday"
            case .impossibleDate:
                var reference = o["reference"] as! [String: Any]
                reference["placementEnd"] = "2026-02-30"
                o["reference"] = reference
            case .badAuthority: o["to"] = "X123"
            case .emptyName: o["agency"] = ["name": ""]
            }
        }

        var expected: String {
            switch self {
            case .missingField: "/respondBy: is required"
            case .extraField: "/note: is not an allowed property"
            case .badRegistration: "/candidate/registration/number: must match"
            case .unknownRole: "/role: must be one of"
            case .wrongType: "/agency: must be of type object"
            case .badInstant: "/sentAt: must match"
            case .impossibleDate: "/reference/placementEnd: must be a valid date"
            case .badAuthority: "/to: must match"
            case .emptyName: "/agency/name: must be at least 1 characters"
            }
        }
    }

    @Test(arguments: Breakage.allCases)
    func badRequestsAreRejectedWithAPointer(breakage: Breakage) throws {
        var object = try Fixtures.requestJSON()
        breakage.apply(to: &object)
        let error = try #require(throws: RefGateError.self) {
            try validator.validate(json: try Fixtures.encode(object), against: "verification-request.schema.json")
        }
        #expect(error.code == .schemaInvalid)
        #expect(error.detail.contains(breakage.expected), "\(breakage): \(error.detail)")
    }

    /// `$` means the end of the text, as in ECMA-262: a trailing newline does not slip through.
    @Test(arguments: ["SW123\n", "SW123\r\n", "SW\n123", "\nSW123"])
    func patternsAreAnchoredToTheWholeText(number: String) throws {
        var object = try Fixtures.requestJSON()
        object["candidate"] = ["name": "A", "registration": ["body": "social-work-england", "number": number]]
        #expect(throws: RefGateError.self) {
            try validator.validate(json: try Fixtures.encode(object), against: "verification-request.schema.json")
        }
    }

    @Test func anchorsAreTranslatedOnlyOutsideClassesAndEscapes() {
        #expect(RegexBox.ecmaAnchors("^SW[0-9]+$") == "^SW[0-9]+\\z")
        #expect(RegexBox.ecmaAnchors("^a[$]\\$b$") == "^a[$]\\$b\\z")
    }

    @Test func decodingRejectsAnUnknownType() throws {
        let error = try #require(throws: RefGateError.self) {
            try RefGateMessage.decode(payload: Data(#"{"type":"escalation"}"#.utf8))
        }
        #expect(error.code == .schemaInvalid)
    }

    @Test func booleansAreNotNumbers() throws {
        let response = """
            {"type":"verification-response","id":"0b6f0c2e-6d6a-4c49-9a53-7f1e2a2b3c4d",
            "caseId":"1c7e1d3f-7e7b-4d5a-8b64-8a2f3b3c4d5e","from":"E08000006","to":"E08000003",
            "sentAt":"2026-11-22T10:00:00Z","inReplyTo":"0b6f0c2e-6d6a-4c49-9a53-7f1e2a2b3c4d","outcome":"verified",
            "findings":{"authoredByReferee":1,"refereeActualRole":"SM","placementDatesConfirmed":true},
            "responder":{"name":"Sam","role":"service-manager"}}
            """
        let error = try #require(throws: RefGateError.self) {
            try validator.validate(json: Data(response.utf8), against: "verification-response.schema.json")
        }
        #expect(error.detail.contains("/findings/authoredByReferee: must be of type boolean"))
    }

    @Test func aSchemaWithAnUnsupportedKeywordDoesNotLoad() {
        #expect(throws: RefGateError.self) {
            try SchemaValidator(documents: ["x.schema.json": #"{"type":"object","oneOf":[]}"#])
        }
    }

    /// `schemas/` is the source of truth; the binary embeds a copy made by scripts/embed-schemas.
    @Test func embeddedSchemasMatchTheSchemasFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".schema.json")
        }
        #expect(Set(files) == Set(EmbeddedSchemas.documents.keys), "run scripts/embed-schemas")
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(
                text.trimmingCharacters(in: .whitespacesAndNewlines)
                    == EmbeddedSchemas.documents[file]?.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(file) differs from the embedded copy: run scripts/embed-schemas")
        }
    }
}
