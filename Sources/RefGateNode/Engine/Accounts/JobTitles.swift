import Foundation
import RefGateCore

/// The authority's own job titles mapped onto the procedure's levels (configuration
/// `jobTitles`): councils name posts differently, the procedure has one structure.
public struct JobTitles: Sendable {
    private let levels: [String: Seniority]

    /// Creates the map; titles match regardless of case and surrounding spaces.
    public init(_ titles: [String: Seniority]) {
        levels = Dictionary(titles.map { (Self.key($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The level the configuration gives a title, if any.
    public func level(of title: String) -> Seniority? { levels[Self.key(title)] }

    /// A user's title (trimmed; nil when empty) and recorded level: `seniority` if given, else
    /// the title's. Refuses a level below what the role implies (a service manager who is
    /// only a team manager) and a title longer than 200 characters.
    public func resolve(jobTitle: String?, seniority: Seniority?, role: UserRole) throws -> (String?, Seniority?) {
        let title = jobTitle?.trimmingCharacters(in: .whitespacesAndNewlines)
        let jobTitle = title?.isEmpty == false ? title : nil
        if let jobTitle, jobTitle.count > 200 {
            throw RefGateError(.invalidInput, "jobTitle must be at most 200 characters")
        }
        let level = seniority ?? jobTitle.flatMap(level(of:))
        if let level, let implied = role.impliedSeniority, level < implied {
            throw RefGateError(
                .invalidInput,
                "a \(role.rawValue) user is at least \(implied.rawValue); seniority \(level.rawValue) is below it")
        }
        return (jobTitle, level)
    }

    private static func key(_ title: String) -> String {
        title.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
