import Foundation
import RefGateCore
import Testing

/// The pure rules of the agency and the region: Companies House numbers, small-number
/// suppression, RAG thresholds, months in London time, and notice templates.
@Suite struct RegionRulesTests {
    @Test(arguments: [
        ("01234567", "01234567"), ("1234567", "01234567"), ("sc123456", "SC123456"), ("OC 301234", "OC301234"),
        ("NI012345", "NI012345"),
    ])
    func companiesHouseNumbers(text: String, number: String) throws {
        #expect(try CompaniesHouseNumber(validating: text).rawValue == number)
    }

    @Test(arguments: ["", "123456789", "S1234567", "SC12345A", "ＳＣ123456", "SC1234567"])
    func notCompaniesHouseNumbers(text: String) {
        #expect(throws: RefGateError.self) { try CompaniesHouseNumber(validating: text) }
    }

    @Test func smallNumbersAreShownAsFewerThanTheThreshold() {
        let small = SmallNumbers()
        #expect(small.show(0) == "0" && small.show(1) == "fewer than 5" && small.show(4) == "fewer than 5")
        #expect(small.show(5) == "5")
        #expect(small.percentage(3, of: 4) == "fewer than 5 to rate" && small.percentage(9, of: 10) == "90%")
        #expect(small.percentage(0, of: 0) == "no data" && SmallNumbers(threshold: 1).show(1) == "1")
    }

    @Test(arguments: [(9, 10, RAGStatus.green), (8, 10, .amber), (7, 10, .red), (3, 4, nil), (0, 0, nil)])
    func ratingsFollowTheThresholds(met: Int, of: Int, rating: RAGStatus?) {
        #expect(RegionalThresholds(green: 0.9, amber: 0.75).rating(met: met, of: of, suppressBelow: 5) == rating)
    }

    @Test func eachStandardMeasuresWhatItSays() {
        var peer = RegionalFigures.Peer(authority: AuthorityID(rawValue: "E08000006")!)
        peer.requestsSent = 10
        peer.answeredInTime = 6
        peer.answeredLate = 2
        peer.overdueUnanswered = 2
        peer.escalatedLevel2 = 1
        peer.outcomes.verified = 7
        peer.outcomes.refereeIneligible = 1
        #expect(RegionalStandard.answeredInTime.measure([peer]) == (6, 10))
        #expect(RegionalStandard.refereesMeetPara5.measure([peer]) == (7, 8))
        #expect(RegionalStandard.settledBelowHeadOfService.measure([peer]) == (9, 10))
        #expect(RegionalStandard.ladderNotSpent.measure([peer]) == (10, 10))
    }

    @Test func monthsAreLondonMonths() throws {
        let june = try #require(RegionalPeriod("2026-06"))
        // Midnight on 1 June in London is 23:00 UTC on 31 May (British Summer Time).
        #expect(MessageCoding.formatInstant(june.start) == "2026-05-31T23:00:00Z")
        #expect(june.next.description == "2026-07" && RegionalPeriod("2026-01")!.previous.description == "2025-12")
        #expect(RegionalPeriod("2026-13") == nil && RegionalPeriod("26-01") == nil)
        #expect(RegionalPeriod(containing: june.start).description == "2026-06")
    }

    @Test func noticeTemplatesTakeOnlyTheirPlaceholders() throws {
        try AgencyNotice.checkTemplate("{authority} asks about {candidate} ({role}): {standards}")
        #expect(throws: RefGateError.self) { try AgencyNotice.checkTemplate("Dear {referee}") }
        let notice = AgencyNotice.render(
            .opened, authority: "Salford City Council", candidate: "Alex Morgan", role: .teamManager)
        #expect(notice.subject == "Salford City Council: references for Alex Morgan are being verified")
        #expect(notice.body.contains("team manager appointment") && notice.body.contains("first-line manager"))
    }
}
