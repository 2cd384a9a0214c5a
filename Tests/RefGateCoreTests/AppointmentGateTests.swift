import Foundation
import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct AppointmentGateTests {
    let salford = AuthorityID(rawValue: "E08000006")!
    let complete = SaferRecruitmentChecklist(
        dbsReviewed: true, permanentEmployerReferences: true, employmentGapsChallenged: true)

    func reference(_ status: CaseStatus, _ id: String = "c1") -> AppointmentGate.Reference {
        .init(caseId: id, peer: salford, status: status, respondBy: Date(timeIntervalSince1970: 0))
    }

    @Test func clearedOnlyWithEveryReferenceVerifiedAndTheChecklistComplete() {
        let cleared = AppointmentGate.evaluate(
            registration: "SW1", name: "A", role: .teamManager,
            references: [reference(.verified, "c1"), reference(.verified, "c2")], checklist: complete)
        #expect(cleared.clearance == .cleared && cleared.reasons.isEmpty)
    }

    @Test(arguments: [CaseStatus.awaitingResponse, .notVerified, .refereeIneligible, .unableToVerify])
    func anyUnverifiedReferenceBlocks(status: CaseStatus) {
        let result = AppointmentGate.evaluate(
            registration: "SW1", name: "A", role: .teamManager,
            references: [reference(.verified, "c1"), reference(status, "c2")], checklist: complete)
        #expect(result.clearance == .blocked)
        #expect(
            result.reasons == [
                "the reference verified with E08000006 (case c2) is \(status.rawValue), not verified (paras 7–8)"
            ])
    }

    @Test func eachMissingCheckIsAReason() {
        let result = AppointmentGate.evaluate(
            registration: "SW1", name: nil, role: nil, references: [reference(.verified)],
            checklist: .init(dbsReviewed: true, permanentEmployerReferences: false, employmentGapsChallenged: false))
        #expect(result.clearance == .blocked)
        #expect(result.reasons.count == 2 && result.reasons.allSatisfy { $0.hasSuffix("(para 9)") })
    }

    @Test func noReferencesIsNotClearance() {
        let result = AppointmentGate.evaluate(
            registration: "SW1", name: nil, role: nil, references: [], checklist: complete)
        #expect(result.clearance == .blocked)
        #expect(result.reasons == ["no reference has been sent for verification (para 7)"])
    }
}

/// A record outside the exchange counts for a case awaiting or unable to verify, never against
/// a signed answer that the reference is false or its referee ineligible.
@Suite struct OfflineGateTests {
    @Test(arguments: [
        (CaseStatus.awaitingResponse, true), (.unableToVerify, true), (.notVerified, false),
        (.refereeIneligible, false),
    ])
    func anOfflineRecordCountsOnlyWhereNoSignedAnswerSaysOtherwise(status: CaseStatus, counts: Bool) {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let record = OfflineVerification(
            id: "o", registration: "SW1", caseID: "c", method: .telephone, verifiedWithName: "P",
            verifiedWithOrganisation: "Salford", verifiedOn: "2026-12-01", documentSHA256: nil,
            recordedBy: Person(name: "R", role: "Recruiter"), recordedAt: now)
        let complete = SaferRecruitmentChecklist(
            dbsReviewed: true, permanentEmployerReferences: true, employmentGapsChallenged: true)
        let result = AppointmentGate.evaluate(
            registration: "SW1", name: nil, role: nil,
            references: [.init(caseId: "c", peer: AuthorityID(rawValue: "E08000006")!, status: status, respondBy: now)],
            checklist: complete, offline: [record])
        #expect((result.clearance == .cleared) == counts)
        #expect(result.references.first?.verifiedBy == (counts ? .outsideTheExchange : nil))
        #expect(AppointmentGate.mayVerifyOutside(status) == counts)
    }
}
