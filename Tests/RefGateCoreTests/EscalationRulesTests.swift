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
}
