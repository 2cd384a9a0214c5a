import Foundation
import GRDB
import RefGateCore

/// An employing agency as this node knows it: keyed by Companies House number, with the
/// compliance contact para 8 notices go to. A merged record points at the one it became.
public struct AgencyRecord: Codable, Sendable, Hashable {
    /// Companies House number.
    public var number: CompaniesHouseNumber
    /// Registered name.
    public var name: String
    /// Compliance contact's e-mail address.
    public var contactEmail: String?
    /// The record this one was merged into, if it was.
    public var mergedInto: CompaniesHouseNumber?
    /// When added.
    public var createdAt: Date
    /// When last changed.
    public var updatedAt: Date

    /// Creates a record.
    public init(
        number: CompaniesHouseNumber, name: String, contactEmail: String?, mergedInto: CompaniesHouseNumber? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.number = number
        self.name = name
        self.contactEmail = contactEmail
        self.mergedInto = mergedInto
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(row: Row) throws {
        guard let number = CompaniesHouseNumber(rawValue: row["companies_house_number"]) else {
            throw RefGateError(.storedDataUnknown, "an agency has a malformed Companies House number")
        }
        self.number = number
        name = row["name"]
        contactEmail = row["contact_email"]
        mergedInto = (row["merged_into"] as String?).flatMap(CompaniesHouseNumber.init(rawValue:))
        createdAt = row.instant("created_at")
        updatedAt = row.instant("updated_at")
    }
}

/// A para 8 notice sent for a candidate.
public struct AgencyNoticeRecord: Codable, Sendable, Hashable {
    /// The candidate.
    public var registration: String
    /// Which notice.
    public var kind: AgencyNotice.Kind
    /// The agency told, if any.
    public var agency: CompaniesHouseNumber?
    /// The case whose change caused it.
    public var caseID: String?
    /// How many addresses it went to.
    public var recipients: Int
    /// When.
    public var sentAt: Date

    /// Creates a record.
    public init(
        registration: String, kind: AgencyNotice.Kind, agency: CompaniesHouseNumber?, caseID: String?,
        recipients: Int, sentAt: Date
    ) {
        self.registration = registration
        self.kind = kind
        self.agency = agency
        self.caseID = caseID
        self.recipients = recipients
        self.sentAt = sentAt
    }
}

/// A member's figures for a month as the coordinator holds them, with the signed message.
public struct RegionalFiguresRecord: Sendable, Hashable {
    /// The message's id (its signed bytes are in `messages`).
    public var messageID: String
    /// The figures.
    public var figures: RegionalFigures
    /// When the coordinator received them.
    public var receivedAt: Date

    /// Creates a record.
    public init(messageID: String, figures: RegionalFigures, receivedAt: Date) {
        self.messageID = messageID
        self.figures = figures
        self.receivedAt = receivedAt
    }
}
