import Foundation

/// Para 8: the commissioning authority makes sure the agency and the candidate know the
/// appointment will not be agreed until every reference is verified, and what para 5 expects
/// of a referee; and tells them again when the candidate is cleared or cannot be. The text is a
/// template an authority may replace; it names only what the recipient already knows (the
/// candidate's name and the role), never a referee, a peer authority or an answer. Pure.
public struct AgencyNotice: Sendable, Hashable {
    /// When a notice goes.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The first request for a candidate was opened.
        case opened = "para8-opened"
        /// Every reference is verified and the checks are complete.
        case cleared = "para8-cleared"
        /// A reference was found false or its referee ineligible: no appointment as things stand.
        case blocked = "para8-blocked"
    }

    /// The para 5 standards in plain words, for `{standards}`.
    public static let standards = """
        - A reference must not come from a colleague, or from the worker's first-line manager, at the end of a temporary appointment.
        - A reference for a team manager or first-line manager must be completed or approved by a suitably senior manager (a service manager or above).
        - References are verified with the authority that gave them, by telephone, in writing or both, before any appointment.
        """

    /// The template of each kind, with `{authority}`, `{candidate}`, `{role}` and `{standards}`.
    public static let defaultTemplates: [Kind: (subject: String, body: String)] = [
        .opened: (
            "{authority}: references for {candidate} are being verified",
            """
            {authority} is verifying the references of {candidate} for a {role} appointment.

            The appointment will not be agreed until every reference has been verified with the authority that gave it, by telephone, in writing or both (North West references procedure, paragraphs 7 and 8).

            What we expect of references (paragraph 5):
            {standards}

            You will hear from us again when the references are verified, or if they cannot be.
            """
        ),
        .cleared: (
            "{authority}: references for {candidate} are verified",
            """
            Every reference of {candidate} for the {role} appointment has been verified, and the safer-recruitment checks are complete (paragraphs 7 to 9). {authority} may now agree the appointment.
            """
        ),
        .blocked: (
            "{authority}: the appointment of {candidate} cannot be agreed as things stand",
            """
            {authority} cannot agree the appointment of {candidate} as a {role} as things stand: a reference could not be verified as meeting the standards below. A suitably senior manager will seek a suitable reference (paragraph 10).

            What we expect of references (paragraph 5):
            {standards}
            """
        ),
    ]

    /// Which notice.
    public var kind: Kind
    /// Subject line.
    public var subject: String
    /// Plain-text body.
    public var body: String

    /// Fills `template` (the default when nil) for one candidate.
    public static func render(
        _ kind: Kind, template: (subject: String, body: String)? = nil, authority: String, candidate: String,
        role: CandidateRole
    ) -> AgencyNotice {
        let chosen = template ?? defaultTemplates[kind]!
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{authority}", with: authority)
                .replacingOccurrences(of: "{candidate}", with: candidate)
                .replacingOccurrences(
                    of: "{role}", with: role == .teamManager ? "team manager" : "qualified social worker"
                )
                .replacingOccurrences(of: "{standards}", with: standards)
        }
        return AgencyNotice(kind: kind, subject: fill(chosen.subject), body: fill(chosen.body))
    }

    /// The placeholders a template may use; anything else in braces is refused when loaded.
    public static let placeholders: Set<String> = ["authority", "candidate", "role", "standards"]

    /// Checks a template's placeholders; the error names the unknown one.
    public static func checkTemplate(_ text: String) throws {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            guard placeholders.contains(name) else {
                throw RefGateError(
                    .invalidInput,
                    "the template uses {\(name)}; a notice template may use only {\(placeholders.sorted().joined(separator: "}, {"))}"
                )
            }
            rest = rest[rest.index(after: close)...]
        }
    }
}
