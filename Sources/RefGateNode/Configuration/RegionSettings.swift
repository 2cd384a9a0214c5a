import Foundation
import RefGateCore

/// The `region` section of a node's configuration: the agency and the region (paras 1, 3, 8, 9).
///
/// ```json
/// "region": {
///   "figuresIntervalHours": 24,
///   "smallNumberThreshold": 5,
///   "ragThresholds": { "answered-in-time": { "green": 0.9, "amber": 0.75 } },
///   "agencyNoticeTemplates": { "para8-opened": "templates/opened.txt" },
///   "agencyLinkBaseURL": "https://refgate.salford.gov.uk",
///   "agencyLinkDays": 7
/// }
/// ```
///
/// A template file's first line is `Subject: …`; the rest is the body. Both may use
/// `{authority}`, `{candidate}`, `{role}` and `{standards}`.
public struct RegionSettings: Codable, Sendable {
    /// Hours between the figures a node sends the coordinator (default 24).
    public var figuresIntervalHours: Double?
    /// Counts from 1 below this are shown as "fewer than N" in the regional views (default 5).
    public var smallNumberThreshold: Int?
    /// Per standard (``RegionalStandard``), where green and amber start.
    public var ragThresholds: [String: RegionalThresholds]?
    /// Per notice (`para8-opened`, `para8-cleared`, `para8-blocked`), a template file.
    public var agencyNoticeTemplates: [String: String]?
    /// The address agencies reach this node's local listener at, for one-time links
    /// (default: the local listener's own address).
    public var agencyLinkBaseURL: String?
    /// Days a one-time link for an agency lasts (default 7).
    public var agencyLinkDays: Int?

    /// Creates settings.
    public init(
        figuresIntervalHours: Double? = nil, smallNumberThreshold: Int? = nil,
        ragThresholds: [String: RegionalThresholds]? = nil, agencyNoticeTemplates: [String: String]? = nil,
        agencyLinkBaseURL: String? = nil, agencyLinkDays: Int? = nil
    ) {
        self.figuresIntervalHours = figuresIntervalHours
        self.smallNumberThreshold = smallNumberThreshold
        self.ragThresholds = ragThresholds
        self.agencyNoticeTemplates = agencyNoticeTemplates
        self.agencyLinkBaseURL = agencyLinkBaseURL
        self.agencyLinkDays = agencyLinkDays
    }

    /// The options the engine runs with: checked, with the template files read.
    public func options(localListenerURL: String) throws -> RegionOptions {
        var options = RegionOptions()
        if let hours = figuresIntervalHours {
            guard hours >= 1 / 60, hours <= 24 * 31 else {
                throw RefGateError(
                    .configurationInvalid, "region.figuresIntervalHours must be between 1 minute and 31 days")
            }
            options.figuresInterval = hours * 3600
        }
        if let threshold = smallNumberThreshold {
            guard (1...100).contains(threshold) else {
                throw RefGateError(.configurationInvalid, "region.smallNumberThreshold must be from 1 to 100")
            }
            options.smallNumbers = SmallNumbers(threshold: threshold)
        }
        for (name, thresholds) in ragThresholds ?? [:] {
            guard let standard = RegionalStandard(rawValue: name) else {
                throw RefGateError(
                    .configurationInvalid,
                    "region.ragThresholds names '\(name)'; the standards are \(RegionalStandard.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard thresholds.isValid else {
                throw RefGateError(
                    .configurationInvalid, "region.ragThresholds.\(name) needs 0 ≤ amber ≤ green ≤ 1")
            }
            options.thresholds[standard] = thresholds
        }
        for (name, path) in agencyNoticeTemplates ?? [:] {
            guard let kind = AgencyNotice.Kind(rawValue: name) else {
                throw RefGateError(
                    .configurationInvalid,
                    "region.agencyNoticeTemplates names '\(name)'; the notices are \(AgencyNotice.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            options.templates[kind] = try Self.template(at: path, name: name)
        }
        options.linkBaseURL = (agencyLinkBaseURL ?? localListenerURL).trimmingCharacters(in: ["/"])
        if let days = agencyLinkDays {
            guard (1...60).contains(days) else {
                throw RefGateError(.configurationInvalid, "region.agencyLinkDays must be from 1 to 60")
            }
            options.linkLifetime = TimeInterval(days) * 86_400
        }
        return options
    }

    /// Reads a template file: `Subject: …` on the first line, the body after.
    static func template(at path: String, name: String) throws -> (subject: String, body: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RefGateError(
                .configurationInvalid, "cannot read the \(name) template at \(path): check the path and its permissions"
            )
        }
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("Subject:") else {
            throw RefGateError(.configurationInvalid, "the \(name) template at \(path) must start with 'Subject: …'")
        }
        let subject = first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces)
        let body = lines.count > 1 ? lines[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        do {
            try AgencyNotice.checkTemplate(subject)
            try AgencyNotice.checkTemplate(body)
        } catch let error as RefGateError {
            throw RefGateError(.configurationInvalid, "the \(name) template at \(path): \(error.detail)")
        }
        return (subject, body)
    }
}

/// The region's options as the engine uses them.
public struct RegionOptions: Sendable {
    /// Between figures sent to the coordinator.
    public var figuresInterval: TimeInterval = 86_400
    /// Small-number suppression.
    public var smallNumbers = SmallNumbers()
    /// Thresholds per standard; the standard's default where absent.
    public var thresholds: [RegionalStandard: RegionalThresholds] = [:]
    /// Notice templates; the default where absent.
    public var templates: [AgencyNotice.Kind: (subject: String, body: String)] = [:]
    /// Where one-time links point (no trailing slash).
    public var linkBaseURL = "http://127.0.0.1"
    /// How long a one-time link lasts.
    public var linkLifetime: TimeInterval = 7 * 86_400

    /// The defaults.
    public init() {}

    /// The thresholds of a standard.
    public func thresholds(_ standard: RegionalStandard) -> RegionalThresholds {
        thresholds[standard] ?? standard.defaultThresholds
    }
}
