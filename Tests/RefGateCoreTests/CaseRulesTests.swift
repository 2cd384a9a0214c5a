import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct CaseStateMachineTests {
    @Test(arguments: VerificationOutcome.allCases)
    func anAnswerMovesAnAwaitingCaseToItsOutcome(outcome: VerificationOutcome) throws {
        #expect(
            try CaseStateMachine.apply(.responseSent(outcome), to: .awaitingResponse, side: .responder)
                == CaseStatus(outcome: outcome))
        #expect(
            try CaseStateMachine.apply(.responseReceived(outcome), to: .awaitingResponse, side: .requester)
                == CaseStatus(outcome: outcome))
    }

    @Test(arguments: [CaseStatus.verified, .notVerified, .refereeIneligible, .unableToVerify])
    func anAnsweredCaseCannotBeAnsweredAgain(status: CaseStatus) {
        let error = #expect(throws: RefGateError.self) {
            try CaseStateMachine.apply(.responseSent(.verified), to: status, side: .responder)
        }
        #expect(error?.code == .invalidTransition)
    }

    @Test func onlyTheProvidingAuthorityResponds() {
        #expect(throws: RefGateError.self) {
            try CaseStateMachine.apply(.responseSent(.verified), to: .awaitingResponse, side: .requester)
        }
        #expect(throws: RefGateError.self) {
            try CaseStateMachine.apply(.responseReceived(.verified), to: .awaitingResponse, side: .responder)
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct ResponderRuleTests {
    /// Para 5: team-manager references need a service manager or more senior.
    @Test(arguments: [
        (CandidateRole.teamManager, ManagerRole.teamManager, false),
        (.teamManager, .serviceManager, true),
        (.teamManager, .headOfService, true),
        (.teamManager, .assistantDirector, true),
        (.teamManager, .director, true),
        (.qualifiedSocialWorker, .teamManager, true),
        (.qualifiedSocialWorker, .serviceManager, true),
    ])
    func seniority(candidate: CandidateRole, responder: ManagerRole, allowed: Bool) {
        if allowed {
            #expect(throws: Never.self) { try ResponderRule.check(responder: responder, candidateRole: candidate) }
        } else {
            let error = #expect(throws: RefGateError.self) {
                try ResponderRule.check(responder: responder, candidateRole: candidate)
            }
            #expect(error?.code == .responderNotSeniorEnough)
            #expect(error?.detail.contains("para 5") == true)
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct IdentifierTests {
    @Test(arguments: ["E08000003", "W06000015", "S12000036", "N09000003"])
    func gssCodesAreAccepted(code: String) { #expect(AuthorityID(rawValue: code) != nil) }

    @Test(arguments: ["", "E0800000", "E080000031", "X08000003", "e08000003", "E0800000A"])
    func otherTextIsRejected(code: String) {
        #expect(AuthorityID(rawValue: code) == nil)
        #expect(throws: RefGateError.self) { try AuthorityID(validating: code) }
    }

    @Test func calendarDatesAreReal() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2025-02-29") == nil)
        #expect(CalendarDate("2026-13-01") == nil)
        #expect(CalendarDate("2026-1-01") == nil)
        #expect(CalendarDate("2026-04-30")?.description == "2026-04-30")
    }

    @Test func instantsRoundTripInUTC() throws {
        let text = MessageCoding.formatInstant(Fixtures.instant)
        #expect(text.hasSuffix("Z"))
        #expect(MessageCoding.parseInstant(text) == Fixtures.instant)
        #expect(MessageCoding.parseInstant("2026-11-22T10:00:00.250+01:00") != nil)
        #expect(MessageCoding.parseInstant("2026-11-22 10:00") == nil)
    }
}
