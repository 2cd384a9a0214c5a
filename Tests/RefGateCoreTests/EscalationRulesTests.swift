import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct EscalationRulesTests {
    @Test(arguments: [
        (EscalationReason.responseOverdue, CaseStatus.awaitingResponse, 0, true),
        (.responseOverdue, .verified, 0, false),
        (.responseOverdue, .awaitingResponse, 1, false),
        (.suitableReferenceRequired, .refereeIneligible, 0, true),
        (.suitableReferenceRequired, .notVerified, 0, false),
        (.unsatisfactoryResponse, .unableToVerify, 0, true),
        (.unsatisfactoryResponse, .awaitingResponse, 0, false),
        (.levelOneOverdue, .awaitingResponse, 1, true),
        (.levelOneOverdue, .awaitingResponse, 0, false),
        (.levelOneOverdue, .awaitingResponse, 2, false),
        (.seriousConcern, .verified, 0, true),
        (.seriousConcern, .awaitingResponse, 1, true),
        (.seriousConcern, .awaitingResponse, 2, false),
        (.seriousConcern, .awaitingResponse, 3, false),
    ])
    func whoMayRaiseWhat(reason: EscalationReason, status: CaseStatus, level: Int, allowed: Bool) {
        if allowed {
            #expect(throws: Never.self) {
                try EscalationRules.check(raising: reason, side: .requester, status: status, currentLevel: level)
            }
        } else {
            #expect(throws: RefGateError.self) {
                try EscalationRules.check(raising: reason, side: .requester, status: status, currentLevel: level)
            }
        }
    }

    @Test(arguments: EscalationReason.allCases) func peopleRaiseOnlyJudgements(reason: EscalationReason) {
        let byPerson: Set<EscalationReason> = [.unsatisfactoryResponse, .seriousConcern]
        if byPerson.contains(reason) {
            #expect(throws: Never.self) { try EscalationRules.check(personRaising: reason) }
        } else {
            #expect(throws: RefGateError.self) { try EscalationRules.check(personRaising: reason) }
        }
    }

    @Test func onlyTheCommissioningAuthorityEscalates() {
        for reason in EscalationReason.allCases {
            #expect(throws: RefGateError.self) {
                try EscalationRules.check(raising: reason, side: .responder, status: .awaitingResponse, currentLevel: 0)
            }
        }
    }

    @Test func levelsAndRoles() {
        #expect(EscalationReason.allCases.filter { $0.level == 1 }.count == 3)
        #expect(EscalationRole(level: 1) == .serviceManager && EscalationRole(level: 2) == .headOfService)
        #expect(EscalationReason.allCases.filter(\.raisedByPerson) == [.unsatisfactoryResponse, .seriousConcern])
    }

    /// Equivalent managers acknowledge each other's escalations (paras 11, 13); the node itself
    /// may act for either role.
    @Test(
        arguments: [
            (EscalationRole.serviceManager, EscalationRole?.some(.serviceManager), true),
            (.serviceManager, .headOfService, false), (.headOfService, .headOfService, true),
            (.headOfService, .serviceManager, false), (.serviceManager, nil, true), (.headOfService, nil, true),
        ] as [(EscalationRole, EscalationRole?, Bool)])
    func whoMayAcknowledge(addressedTo: EscalationRole, actor: EscalationRole?, allowed: Bool) {
        let refusal = (try? EscalationRules.check(acknowledging: addressedTo, as: actor)) == nil
        #expect(refusal == !allowed)
    }

    /// A peer's notice fits only the next level, with that level's reason and role.
    @Test(
        arguments: [
            (1, EscalationReason.responseOverdue, EscalationRole.serviceManager, 0, true),
            (1, .unsatisfactoryResponse, .serviceManager, 0, true),
            (1, .suitableReferenceRequired, .serviceManager, 0, true),
            (2, .levelOneOverdue, .headOfService, 1, true), (2, .seriousConcern, .headOfService, 0, true),
            (1, .responseOverdue, .serviceManager, 1, false), (1, .responseOverdue, .headOfService, 0, false),
            (2, .responseOverdue, .headOfService, 1, false), (2, .seriousConcern, .serviceManager, 0, false),
            (2, .seriousConcern, .headOfService, 2, false),
        ] as [(Int, EscalationReason, EscalationRole, Int, Bool)])
    func whichNoticesFit(level: Int, reason: EscalationReason, role: EscalationRole, current: Int, fits: Bool) {
        let refused =
            (try? EscalationRules.check(
                receiving: level, reason: reason, addressedTo: role, currentLevel: current, caseID: "c")) == nil
        #expect(refused == !fits)
    }
}
