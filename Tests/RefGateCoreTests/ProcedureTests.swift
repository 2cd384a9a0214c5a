import Foundation
import Testing

@testable import RefGateCore

/// The procedure's rules as tables, without a store or a node (paras 5–14).
@Suite(.timeLimit(.minutes(2))) struct ProcedureTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)  // a fixed instant
    static func at(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }
    static let policy = try! Policy(calendar: WorkingCalendar())

    static func open(_ id: String, level: Int, due: Double, ack: Double? = nil, remind: Double? = nil)
        -> DeadlineLadder.OpenEscalation
    {
        .init(id: id, level: level, dueAt: at(due), acknowledgedAt: ack.map(at), nextReminderAt: remind.map(at))
    }

    /// (side, status, level, open escalations, expected next due in hours from t0 or nil)
    static let nextDueTable: [(CaseSide, CaseStatus, Int, [DeadlineLadder.OpenEscalation], Double?)] = [
        // Commissioning side: the response deadline while unanswered and unescalated (para 6).
        (.requester, .awaitingResponse, 0, [], 10),
        (.requester, .verified, 0, [], nil),
        (.requester, .refereeIneligible, 0, [], nil),
        // ... else the open level's deadline (paras 11, 13), not the other level's.
        (.requester, .awaitingResponse, 1, [open("a", level: 1, due: 20)], 20),
        (.requester, .unableToVerify, 1, [open("a", level: 1, due: 20)], 20),
        (.requester, .awaitingResponse, 2, [open("a", level: 1, due: 20), open("b", level: 2, due: 30)], 30),
        (.requester, .awaitingResponse, 1, [], nil),
        // The ladder spent (para 14): nothing more is due.
        (.requester, .awaitingResponse, 3, [], nil),
        // Providing side: the next reminder of an unacknowledged escalation, or level 2's deadline.
        (.responder, .awaitingResponse, 0, [], nil),
        (.responder, .awaitingResponse, 0, [open("a", level: 1, due: 20, remind: 4)], 4),
        (.responder, .awaitingResponse, 0, [open("a", level: 1, due: 20, ack: 1, remind: 4)], nil),
        (.responder, .awaitingResponse, 0, [open("a", level: 2, due: 30, ack: 1, remind: 4)], 30),
        (.responder, .awaitingResponse, 0, [open("a", level: 2, due: 3, remind: 4)], 3),
        (
            .responder, .awaitingResponse, 0,
            [open("a", level: 1, due: 20, remind: 8), open("b", level: 2, due: 30, remind: 6)], 6
        ),
    ]

    /// Each rule's whole change: what a response, an escalation and the ladder's end do to a
    /// case, as one value the store applies.
    @Test func transitionsAreWholeChanges() {
        let answered = ResponseRules.effect(of: .notVerified, side: .requester).transition(caseID: "c", response: "m")
        #expect(
            answered
                == CaseTransition(
                    caseID: "c", cause: .response(messageID: "m"), status: .notVerified, escalationLevel: 0,
                    closing: .all))
        #expect(answered.responseMessageID == "m")
        let raised = EscalationRules.transition(raising: 2, caseID: "c")
        #expect(raised.status == nil && raised.escalationLevel == 2 && raised.closing == .below(2))
        #expect(raised.responseMessageID == nil)
        let spent = EscalationRules.transition(exhausting: "c")
        #expect(
            spent.cause == .exhausted && spent.escalationLevel == EscalationRules.exhausted && spent.closing == .all
                && spent.status == nil)
    }

    @Test func anUndeliveredRequestIsUnansweredFromItsExpiry() {
        var state = DeadlineLadder.CaseState(
            side: .requester, status: .awaitingResponse, escalationLevel: 0, respondBy: Self.at(10), open: [],
            requestExpiredAt: Self.at(3))
        #expect(DeadlineLadder.nextDue(state) == Self.at(3))
        #expect(DeadlineLadder.due(state, now: Self.at(3), policy: Self.policy) == [.raise(.responseOverdue)])
        state.status = .verified  // answered after all (by another route): nothing due
        #expect(DeadlineLadder.nextDue(state) == nil)
        state.status = .awaitingResponse
        state.escalationLevel = 1  // already escalated: the level's deadline rules
        state.open = [Self.open("a", level: 1, due: 20)]
        #expect(DeadlineLadder.nextDue(state) == Self.at(20))
    }

    @Test(arguments: nextDueTable.indices) func whichDeadlineACaseWaitsOn(row: Int) {
        let (side, status, level, open, expected) = Self.nextDueTable[row]
        let state = DeadlineLadder.CaseState(
            side: side, status: status, escalationLevel: level, respondBy: Self.at(10), open: open)
        #expect(DeadlineLadder.nextDue(state) == expected.map(Self.at), "row \(row)")
    }

    /// (side, status, level, open escalations, hours after t0 it is now, expected steps)
    static let dueTable: [(CaseSide, CaseStatus, Int, [DeadlineLadder.OpenEscalation], Double, [String])] = [
        (.requester, .awaitingResponse, 0, [], 9, []),
        (.requester, .awaitingResponse, 0, [], 10, ["raise response-overdue"]),
        (.requester, .verified, 0, [], 50, []),
        (.requester, .awaitingResponse, 1, [open("a", level: 1, due: 20)], 19, []),
        (.requester, .awaitingResponse, 1, [open("a", level: 1, due: 20)], 20, ["raise level-1-overdue"]),
        (.requester, .unableToVerify, 1, [open("a", level: 1, due: 20)], 21, ["raise level-1-overdue"]),
        (.requester, .awaitingResponse, 2, [open("b", level: 2, due: 30)], 30, ["exhaust"]),
        (.requester, .awaitingResponse, 3, [], 99, []),
        (.responder, .awaitingResponse, 0, [open("a", level: 1, due: 20, remind: 4)], 4, ["remind a"]),
        (.responder, .awaitingResponse, 0, [open("a", level: 1, due: 20, ack: 2, remind: 4)], 5, []),
        (
            .responder, .awaitingResponse, 0,
            [open("a", level: 1, due: 20, remind: 4), open("b", level: 2, due: 30, remind: 3)], 4,
            ["remind a", "remind b"]
        ),
        (.responder, .awaitingResponse, 0, [open("b", level: 2, due: 30, remind: 29)], 30, ["exhaust"]),
    ]

    @Test(arguments: dueTable.indices) func whatIsDueWhenADeadlinePasses(row: Int) {
        let (side, status, level, open, hours, expected) = Self.dueTable[row]
        let state = DeadlineLadder.CaseState(
            side: side, status: status, escalationLevel: level, respondBy: Self.at(10), open: open)
        let now = Self.at(hours)
        let steps = DeadlineLadder.due(state, now: now, policy: Self.policy).map { step -> String in
            switch step {
            case .raise(let reason): return "raise \(reason.rawValue)"
            case .exhaust: return "exhaust"
            case .remind(let id, let next):
                #expect(next == DeadlineLadder.nextReminder(after: now, policy: Self.policy))
                return "remind \(id)"
            }
        }
        #expect(steps == expected, "row \(row)")
    }

    @Test func escalationDeadlinesAndRemindersAreCountedInWorkingTime() {
        let policy = Self.policy
        let raised = Self.t0
        #expect(
            DeadlineLadder.escalationDue(level: 1, raisedAt: raised, policy: policy)
                == policy.calendar.adding(workingDays: policy.level1WorkingDays, to: raised))
        #expect(
            DeadlineLadder.escalationDue(level: 2, raisedAt: raised, policy: policy)
                == policy.calendar.adding(workingDays: policy.level2WorkingDays, to: raised))
        #expect(
            DeadlineLadder.nextReminder(after: raised, policy: policy)
                == policy.calendar.adding(workingHours: policy.reminderWorkingHours, to: raised))
    }

    /// (outcome, side, status after, escalation raised)
    static let responseTable: [(VerificationOutcome, CaseSide, CaseStatus, EscalationReason?)] = [
        (.verified, .requester, .verified, nil),
        (.verified, .responder, .verified, nil),
        (.notVerified, .requester, .notVerified, nil),
        (.unableToVerify, .requester, .unableToVerify, nil),
        // Para 10: an ineligible referee brings in the commissioning service manager at once.
        (.refereeIneligible, .requester, .refereeIneligible, .suitableReferenceRequired),
        (.refereeIneligible, .responder, .refereeIneligible, nil),
    ]

    @Test(arguments: responseTable.indices) func whatAResponseDoes(row: Int) {
        let (outcome, side, status, raise) = Self.responseTable[row]
        let effect = ResponseRules.effect(of: outcome, side: side)
        #expect(effect.status == status)
        #expect(effect.escalationLevel == 0, "an answer closes every open escalation")
        #expect(effect.raise == raise)
    }

    @Test(arguments: [
        ("SW1", true), ("SW104522", true), ("SW1234567890", true), ("SW12345678901", false), ("SW", false),
        ("sw123", false), ("SW12a", false), ("SW½", false), ("SW١٢٣", false), ("XSW123", false), ("SW123\n", false),
        ("1234567", false),
    ])
    func socialWorkEnglandRegistration(number: String, valid: Bool) throws {
        if valid {
            #expect(throws: Never.self) { try ProfessionalRegistration(body: "social-work-england", number: number) }
            #expect(try ProfessionalRegistration(key: number).regulator == .socialWorkEngland)
        } else {
            #expect(throws: RefGateError.self) {
                try ProfessionalRegistration(body: "social-work-england", number: number)
            }
        }
    }

    /// Para 5 against the referee: every position × approval × candidate role.
    @Test(arguments: [
        (RefereePosition.colleague, false, true, true), (.colleague, true, true, true),
        (.teamManager, false, true, true), (.teamManager, true, false, false),
        (.serviceManager, false, false, false), (.serviceManager, true, false, false),
        (.headOfService, false, false, false), (.headOfService, true, false, false),
        (.other, false, false, true), (.other, true, false, false),
    ])
    func para5AppliesToTheReferee(
        position: RefereePosition, approved: Bool, failsForSocialWorker: Bool, failsForTeamManager: Bool
    ) {
        for (role, fails) in [
            (CandidateRole.qualifiedSocialWorker, failsForSocialWorker), (.teamManager, failsForTeamManager),
        ] {
            #expect(
                RefereeRule.meetsPara5(position: position, approvedBySeniorManager: approved, candidateRole: role)
                    == !fails, "\(position) approved \(approved) for a \(role)")
            let findings = VerificationResponse.Findings(
                authoredByReferee: true, refereeActualRole: "x", placementDatesConfirmed: true, concerns: nil,
                refereePosition: position, approvedBySeniorManager: approved)
            #expect(
                RefereeRule.outcome(stated: .verified, findings: findings, candidateRole: role)
                    == (fails ? .refereeIneligible : .verified))
            // Only a verified answer changes; a reference found false stays so.
            #expect(RefereeRule.outcome(stated: .notVerified, findings: findings, candidateRole: role) == .notVerified)
            // A message of release 1.1 or earlier states no position: its outcome stands.
            #expect(
                RefereeRule.outcome(stated: .verified, findings: findings.previousFormat, candidateRole: role)
                    == .verified)
        }
    }

    @Test(arguments: [
        ("1.2.0", true), ("1.10.0", true), ("2.0.0", true), ("1.2.1-rc.1", true), ("1.1.9", false), ("1.0.0", false),
        ("junk", false), ("1.2", false),
    ])
    func messageFormatFollowsThePeersRelease(release: String, reads: Bool) {
        #expect(MessageFormat.peer(running: release, reads: MessageFormat.regionalFields) == reads)
        #expect(!MessageFormat.peer(running: nil, reads: MessageFormat.regionalFields))
    }

    /// Para 7–9 across the UK: each regulator's numbers, and a key per regulator that never
    /// meets another's.
    @Test(arguments: [
        ("social-care-wales", "1234567", "SCW-1234567"),
        ("scottish-social-services-council", "3123456", "SSSC-3123456"),
        ("northern-ireland-social-care-council", "6001234", "NISCC-6001234"),
        ("social-work-england", "SW104522", "SW104522"),
    ])
    func registrationsOfTheFourRegulators(body: String, number: String, key: String) throws {
        let registration = try ProfessionalRegistration(body: body, number: number)
        #expect(registration.key == key)
        #expect(try ProfessionalRegistration(key: key) == registration)
        #expect(VerificationRequest.Registration(body: body, number: number).key == key)
        let wrongs =
            body == "social-work-england"
            ? ["1234567", "SW", "SW12345678901"] : ["123", "12345678901", "SW1234", "12 345", "１２３４５"]
        for wrong in wrongs {
            #expect(throws: RefGateError.self) { try ProfessionalRegistration(body: body, number: wrong) }
        }
        #expect(throws: RefGateError.self) { try ProfessionalRegistration(body: "hcpc", number: number) }
        #expect(throws: RefGateError.self) { try ProfessionalRegistration(key: "XYZ-" + number) }
    }
}
