/// A Social Work England registration number, the key a candidate's references and para 9
/// checklist are kept under (paras 7–9). Pure.
///
/// The same rule as the request schema's `candidate.registration.number`
/// (`^SW[0-9]{1,10}$`), so a checklist can always be matched to the requests for its
/// candidate.
public enum SocialWorkRegistration {
    /// Throws `invalid-input` saying what is wrong unless `number` is `SW` and 1–10 digits.
    public static func check(_ number: String) throws {
        let digits = number.utf8.dropFirst(2)
        guard number.hasPrefix("SW"), (1...10).contains(digits.count), digits.allSatisfy({ (48...57).contains($0) })
        else {
            throw RefGateError(
                .invalidInput, "'\(number)' is not a Social Work England registration (SW followed by 1–10 digits)")
        }
    }
}
