import Foundation
import GRDB
import RefGateCore

/// What the store holds about one candidate for their standing: the cases this authority sent,
/// the checklist, references verified outside the exchange and the agency's part.
public struct CandidateHoldings: Sendable {
    /// Cases this authority sent for them, oldest first.
    public var cases: [CaseRecord] = []
    /// Their safer-recruitment checklist, if recorded.
    public var checklist: ChecklistRecord?
    /// References verified by telephone or in writing, oldest first.
    public var offline: [OfflineVerification] = []
    /// Their agency, as the recruiter gave it.
    public var agency: CompaniesHouseNumber?
    /// The agency's para 9 confirmation, if recorded.
    public var agencyChecks: AgencyChecks?
    /// The para 8 notices sent, oldest first.
    public var agencyNotices: [AgencyNoticeRecord] = []
}

extension StoreReader {
    /// The holdings of each of `registrations` (a page of candidates), read with one query a
    /// table for the lot rather than one a candidate: on PostgreSQL each query is a round trip.
    public func candidateHoldings(_ registrations: [String]) throws -> [String: CandidateHoldings] {
        guard !registrations.isEmpty else { return [:] }
        var holdings: [String: CandidateHoldings] = [:]
        let list = "(" + registrations.map { _ in "?" }.joined(separator: ", ") + ")"
        let arguments = SQLArguments(registrations.map(\.databaseValue))
        func rows(_ sql: String) throws -> [Row] { try Row.fetchAll(db, sql: sql, arguments: arguments) }
        for row in try rows(
            "SELECT * FROM cases WHERE candidate_registration IN \(list) AND side = 'requester' ORDER BY created_at, id"
        ) {
            let record = try CaseRecord(row: row)
            holdings[row["candidate_registration"], default: .init()].cases.append(record)
        }
        for row in try rows("SELECT * FROM candidate_checklists WHERE registration IN \(list)") {
            holdings[row["registration"], default: .init()].checklist = ChecklistRecord(row: row)
        }
        for row in try rows(
            "SELECT * FROM offline_verifications WHERE registration IN \(list) ORDER BY recorded_at, id")
        {
            holdings[row["registration"], default: .init()].offline.append(
                try OfflineVerificationRecord(row: row).value)
        }
        for row in try rows("SELECT registration, agency, email FROM candidate_contacts WHERE registration IN \(list)")
        {
            holdings[row["registration"], default: .init()].agency = Self.candidateContact(row: row).agency
        }
        for row in try rows("SELECT * FROM agency_checks WHERE registration IN \(list)") {
            holdings[row["registration"], default: .init()].agencyChecks = try Self.agencyChecks(row: row)
        }
        for row in try rows("SELECT * FROM agency_notices WHERE registration IN \(list) ORDER BY sent_at") {
            if let notice = Self.agencyNotice(row: row) {
                holdings[row["registration"], default: .init()].agencyNotices.append(notice)
            }
        }
        return holdings
    }
}
