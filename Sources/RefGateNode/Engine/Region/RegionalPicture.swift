import Foundation
import RefGateCore
import RefGateStore

/// What the coordinator shows of the region: each authority's adherence to the procedure
/// with a RAG rating per standard, the region month by month, and each agency across the
/// region. Every count is already suppressed ("fewer than 5") where small; every figure can
/// be traced to the signed message it came from (`sources`).
public struct RegionalPicture: Codable, Sendable, Hashable {
    /// The region's name.
    public var region: String
    /// The coordinator.
    public var coordinator: AuthorityID
    /// The months held, newest first.
    public var periods: [String]
    /// The month shown; nil for every month held.
    public var period: String?
    /// Counts from 1 below this are shown as "fewer than N".
    public var smallNumberThreshold: Int
    /// Each member, as its peers' figures report its answers.
    public var authorities: [AuthorityRow]
    /// The region month by month, oldest first.
    public var months: [MonthRow]
    /// Each agency across the region.
    public var agencies: [AgencyRow]
    /// The signed messages the picture is built from.
    public var sources: [Source]

    /// One member authority.
    public struct AuthorityRow: Codable, Sendable, Hashable {
        /// Its id.
        public var authority: AuthorityID
        /// Its name in the directory.
        public var name: String
        /// Whether it sent figures for the period shown.
        public var reported: Bool
        /// Requests peers made of it.
        public var requests: String
        /// Answered by the deadline.
        public var answeredInTime: String
        /// Answered late.
        public var answeredLate: String
        /// Unanswered past the deadline.
        public var overdueUnanswered: String
        /// Reached level 1.
        public var escalatedLevel1: String
        /// Reached level 2.
        public var escalatedLevel2: String
        /// Ladders spent.
        public var laddersSpent: String
        /// Its answers: referee ineligible.
        public var refereeIneligible: String
        /// Its answers: not verified.
        public var notVerified: String
        /// A rating per standard.
        public var standards: [StandardRating]
    }

    /// One standard's rating for one authority.
    public struct StandardRating: Codable, Sendable, Hashable {
        /// The standard.
        public var standard: RegionalStandard
        /// In words.
        public var title: String
        /// The proportion met, as shown ("93%", "fewer than 5 to rate", "no data").
        public var shown: String
        /// Green, amber or red; nil when there is too little to rate.
        public var rating: RAGStatus?
    }

    /// The region in one month.
    public struct MonthRow: Codable, Sendable, Hashable {
        /// `YYYY-MM`.
        public var period: String
        /// Members that reported.
        public var reporting: Int
        /// Requests made.
        public var requests: String
        /// Answered by the deadline, as a share of those due.
        public var answeredInTime: String
        /// Reached level 1.
        public var escalatedLevel1: String
        /// Reached level 2.
        public var escalatedLevel2: String
        /// Ladders spent.
        public var laddersSpent: String
    }

    /// One agency across the region.
    public struct AgencyRow: Codable, Sendable, Hashable {
        /// Its Companies House number.
        public var companiesHouseNumber: CompaniesHouseNumber
        /// Its name.
        public var name: String
        /// Authorities that commissioned its candidates.
        public var authorities: Int
        /// Candidates.
        public var candidates: String
        /// Requests.
        public var requests: String
        /// Verified.
        public var verified: String
        /// Not verified.
        public var notVerified: String
        /// Referee ineligible.
        public var refereeIneligible: String
        /// Candidates cleared.
        public var candidatesCleared: String
        /// Concerns by category.
        public var concerns: [String: String]
    }

    /// A signed message behind the picture.
    public struct Source: Codable, Sendable, Hashable {
        /// The message id (its signed bytes: `refgate message show` / the evidence of the store).
        public var messageId: String
        /// Who signed.
        public var from: AuthorityID
        /// The month.
        public var period: String
        /// Whether the month had ended.
        public var final: Bool
        /// When signed.
        public var sentAt: Date
    }

    /// Builds the picture from the newest figures of each member and month.
    public static func build(
        records: [RegionalFiguresRecord], periods: [String], period: String?, region: String,
        coordinator: AuthorityID, members: [(AuthorityID, String)], options: RegionOptions
    ) -> RegionalPicture {
        let small = options.smallNumbers
        let shown = period.map { p in records.filter { $0.figures.period == p } } ?? records
        // Each member's answers, as the members that asked it report them.
        var about: [AuthorityID: [RegionalFigures.Peer]] = [:]
        for record in shown { for peer in record.figures.peers { about[peer.authority, default: []].append(peer) } }
        let reporters = Set(shown.map(\.figures.from))
        let authorities = members.map { id, name -> AuthorityRow in
            let rows = about[id] ?? []
            func sum(_ value: (RegionalFigures.Peer) -> Int) -> String { small.show(rows.reduce(0) { $0 + value($1) }) }
            return AuthorityRow(
                authority: id, name: name, reported: reporters.contains(id), requests: sum(\.requestsSent),
                answeredInTime: sum(\.answeredInTime), answeredLate: sum(\.answeredLate),
                overdueUnanswered: sum(\.overdueUnanswered), escalatedLevel1: sum(\.escalatedLevel1),
                escalatedLevel2: sum(\.escalatedLevel2), laddersSpent: sum(\.laddersSpent),
                refereeIneligible: sum(\.outcomes.refereeIneligible), notVerified: sum(\.outcomes.notVerified),
                standards: RegionalStandard.allCases.map { standard in
                    let (met, of) = standard.measure(rows)
                    return StandardRating(
                        standard: standard, title: standard.title, shown: small.percentage(met, of: of),
                        rating: options.thresholds(standard).rating(met: met, of: of, suppressBelow: small.threshold))
                })
        }
        let months = Dictionary(grouping: records, by: \.figures.period).sorted { $0.key < $1.key }.map {
            period, records -> MonthRow in
            let rows = records.flatMap(\.figures.peers)
            func sum(_ value: (RegionalFigures.Peer) -> Int) -> String { small.show(rows.reduce(0) { $0 + value($1) }) }
            let (met, of) = RegionalStandard.answeredInTime.measure(rows)
            return MonthRow(
                period: period, reporting: Set(records.map(\.figures.from)).count, requests: sum(\.requestsSent),
                answeredInTime: small.percentage(met, of: of), escalatedLevel1: sum(\.escalatedLevel1),
                escalatedLevel2: sum(\.escalatedLevel2), laddersSpent: sum(\.laddersSpent))
        }
        var agencies: [CompaniesHouseNumber: (RegionalFigures.Agency, Set<AuthorityID>)] = [:]
        for record in shown {
            for agency in record.figures.agencies {
                var entry =
                    agencies[agency.companiesHouseNumber]
                    ?? (.init(companiesHouseNumber: agency.companiesHouseNumber, name: agency.name), [])
                entry.0.candidates += agency.candidates
                entry.0.requests += agency.requests
                entry.0.outcomes.add(agency.outcomes)
                entry.0.candidatesCleared += agency.candidatesCleared
                entry.0.concerns.merge(agency.concerns, uniquingKeysWith: +)
                if agency.requests > 0 { entry.1.insert(record.figures.from) }
                agencies[agency.companiesHouseNumber] = entry
            }
        }
        return RegionalPicture(
            region: region, coordinator: coordinator, periods: periods, period: period,
            smallNumberThreshold: small.threshold, authorities: authorities, months: months,
            agencies: agencies.values.map { agency, authorities in
                AgencyRow(
                    companiesHouseNumber: agency.companiesHouseNumber, name: agency.name,
                    authorities: authorities.count, candidates: small.show(agency.candidates),
                    requests: small.show(agency.requests), verified: small.show(agency.outcomes.verified),
                    notVerified: small.show(agency.outcomes.notVerified),
                    refereeIneligible: small.show(agency.outcomes.refereeIneligible),
                    candidatesCleared: small.show(agency.candidatesCleared),
                    concerns: agency.concerns.mapValues(small.show))
            }.sorted { ($0.name, $0.companiesHouseNumber) < ($1.name, $1.companiesHouseNumber) },
            sources: shown.map {
                Source(
                    messageId: $0.messageID, from: $0.figures.from, period: $0.figures.period, final: $0.figures.final,
                    sentAt: $0.figures.sentAt)
            })
    }

    /// The CSV header for `csvRows`.
    public static let csvHeader =
        "authority,name,reported,requests,answered_in_time,answered_late,overdue_unanswered,level1,level2,ladders_spent,referee_ineligible,not_verified,"
        + RegionalStandard.allCases.map { "\($0.rawValue),\($0.rawValue)_rating" }.joined(separator: ",")

    /// One CSV line per authority (values as shown: small numbers suppressed).
    public var csvRows: [String] {
        authorities.map { row in
            ([
                row.authority.rawValue, Self.csvField(row.name), "\(row.reported)", row.requests, row.answeredInTime,
                row.answeredLate, row.overdueUnanswered, row.escalatedLevel1, row.escalatedLevel2, row.laddersSpent,
                row.refereeIneligible, row.notVerified,
            ] + row.standards.flatMap { [Self.csvField($0.shown), $0.rating?.rawValue ?? ""] }).joined(separator: ",")
        }
    }

    /// A quoted CSV field with a leading formula character neutralised.
    static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension RegionalExchange {
    /// At the coordinator: the region's picture for a month (every month held when nil).
    public func picture(period: String? = nil) async throws -> RegionalPicture {
        let trusted = await directory.current
        guard let coordinator = trusted.directory.coordinator, coordinator == authority else {
            throw RefGateError(
                .notCoordinator,
                "\(authority) is not the region's coordinator: the regional picture is at \(trusted.directory.coordinator?.rawValue ?? "no node (the directory names no coordinator)")"
            )
        }
        if let period, RegionalPeriod(period) == nil {
            throw RefGateError(.invalidInput, "period must be a month, YYYY-MM, not '\(period.prefix(20))'")
        }
        let (records, periods) = try await store.read { reader in
            (try reader.latestRegionalFigures(), try reader.regionalPeriods())
        }
        return RegionalPicture.build(
            records: records, periods: periods, period: period, region: trusted.directory.region,
            coordinator: coordinator,
            members: trusted.directory.authorities.map { ($0.id, $0.name) }.sorted { $0.1 < $1.1 }, options: options)
    }
}
