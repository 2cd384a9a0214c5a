/// A social worker's registration with one of the four UK regulators, and the key a
/// candidate's references and para 9 checklist are kept under (paras 7–9). Pure.
///
/// Social Work England numbers are `SW` and 1–10 digits; Social Care Wales, the SSSC and NISCC
/// issue numbers of digits alone (4–10 are accepted). The key is the number for Social Work
/// England (as every earlier release kept it) and `SCW-`, `SSSC-` or `NISCC-` and the number for
/// the others, so two regulators' equal numbers never meet.
public struct ProfessionalRegistration: Sendable, Hashable {
    /// The four UK regulators of social work, by the `body` the request schema names.
    public enum Regulator: String, Codable, Sendable, CaseIterable, Hashable {
        /// England.
        case socialWorkEngland = "social-work-england"
        /// Wales.
        case socialCareWales = "social-care-wales"
        /// Scotland: the Scottish Social Services Council.
        case sssc = "scottish-social-services-council"
        /// Northern Ireland: the Northern Ireland Social Care Council.
        case niscc = "northern-ireland-social-care-council"

        /// Its name, as people read it.
        public var title: String {
            switch self {
            case .socialWorkEngland: "Social Work England"
            case .socialCareWales: "Social Care Wales"
            case .sssc: "Scottish Social Services Council"
            case .niscc: "Northern Ireland Social Care Council"
            }
        }

        /// The key's prefix; none for Social Work England, whose numbers carry their own.
        var keyPrefix: String {
            switch self {
            case .socialWorkEngland: ""
            case .socialCareWales: "SCW-"
            case .sssc: "SSSC-"
            case .niscc: "NISCC-"
            }
        }

        /// What a number of this regulator looks like, for error messages.
        var format: String {
            switch self {
            case .socialWorkEngland: "SW followed by 1–10 digits"
            default: "4–10 digits"
            }
        }

        /// Whether `number` has this regulator's form.
        func accepts(_ number: String) -> Bool {
            let bytes = Array(number.utf8)
            let isDigit = { (byte: UInt8) in (48...57).contains(byte) }
            switch self {
            case .socialWorkEngland:
                return number.hasPrefix("SW") && (1...10).contains(bytes.count - 2)
                    && bytes.dropFirst(2).allSatisfy(isDigit)
            default:
                return (4...10).contains(bytes.count) && bytes.allSatisfy(isDigit)
            }
        }
    }

    /// The regulator.
    public let regulator: Regulator
    /// The number it issued.
    public let number: String

    /// A registration; throws `invalid-input` saying what is wrong with the body or the number.
    public init(body: String, number: String) throws {
        guard let regulator = Regulator(rawValue: body) else {
            throw RefGateError(
                .invalidInput,
                "'\(body)' is not a regulator refgate knows; use one of \(Regulator.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard regulator.accepts(number) else {
            throw RefGateError(
                .invalidInput, "'\(number)' is not a \(regulator.title) registration (\(regulator.format))")
        }
        self.regulator = regulator
        self.number = number
    }

    /// The candidate's key at a node: `SW12345`, `SCW-1234567`, `SSSC-…`, `NISCC-…`.
    public var key: String { regulator.keyPrefix + number }

    /// The registration a key names; throws `invalid-input` for anything else.
    public init(key: String) throws {
        let regulator =
            Regulator.allCases.first { !$0.keyPrefix.isEmpty && key.hasPrefix($0.keyPrefix) } ?? .socialWorkEngland
        do {
            try self.init(body: regulator.rawValue, number: String(key.dropFirst(regulator.keyPrefix.count)))
        } catch {
            throw RefGateError(
                .invalidInput,
                "'\(key)' is not a candidate's registration: SW and 1–10 digits (Social Work England), or SCW-, SSSC- or NISCC- and 4–10 digits"
            )
        }
    }
}
