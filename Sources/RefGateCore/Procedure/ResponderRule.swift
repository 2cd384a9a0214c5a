/// Para 5 of the procedure: references for team (first-line) managers must be completed or
/// approved by a suitably senior manager — a service manager or more senior. Any manager may
/// answer for a qualified social worker.
public enum ResponderRule {
    /// The least senior role that may answer for a candidate role.
    public static func minimumRole(for candidateRole: CandidateRole) -> ManagerRole {
        switch candidateRole {
        case .qualifiedSocialWorker: .teamManager
        case .teamManager: .serviceManager
        }
    }

    /// Throws `responder-not-senior-enough` when the responder is too junior for the reference.
    public static func check(responder: ManagerRole, candidateRole: CandidateRole) throws {
        let minimum = minimumRole(for: candidateRole)
        guard responder >= minimum else {
            throw RefGateError(
                .responderNotSeniorEnough,
                "a \(candidateRole.rawValue) reference must be answered by a \(minimum.rawValue) or more senior (procedure para 5); the responder is a \(responder.rawValue)"
            )
        }
    }
}
