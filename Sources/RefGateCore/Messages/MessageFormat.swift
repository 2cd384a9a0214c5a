/// Which message format a peer reads, by the release it last said it runs (`RefGate-Version`).
/// A region always runs mixed versions, and a node of an earlier release refuses fields its
/// schemas do not list, so a field added in a release goes only to peers known to run it. Pure.
public enum MessageFormat {
    /// The first release that reads a response's `findings.refereePosition` and
    /// `findings.approvedBySeniorManager`, and the registrations of all four UK regulators.
    public static let regionalFields = "1.2.0"
    /// The first release that reads a request's `agency.companiesHouseNumber` and takes
    /// `regional-figures` messages.
    public static let agencyRecords = "1.3.0"

    /// Whether a peer that said it runs `release` (nil: never said, as 1.0.0 nodes do) reads
    /// what `feature` (a release) added.
    public static func peer(running release: String?, reads feature: String) -> Bool {
        guard let release, let running = Self.parse(release), let needed = Self.parse(feature) else { return false }
        return running.lexicographicallyPrecedes(needed) == false
    }

    /// `MAJOR.MINOR.PATCH` as numbers (anything after a `-` or `+` ignored); nil if it is not one.
    public static func parse(_ release: String) -> [Int]? {
        let core = release.split(whereSeparator: { $0 == "-" || $0 == "+" }).first ?? ""
        let parts = core.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        return parts.map { $0! }
    }
}
