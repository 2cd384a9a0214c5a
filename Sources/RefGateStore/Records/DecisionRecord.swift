import Foundation
import GRDB
import RefGateCore

/// A para 14 decision on a case: what a head of service decided, why, who and when.
public struct DecisionRecord: Sendable, Hashable {
    /// Its id.
    public var id: String
    /// The case.
    public var caseID: String
    /// What was decided.
    public var decision: Para14Decision
    /// Why, in their words.
    public var reason: String
    /// Who decided.
    public var decidedBy: Person
    /// Their user account, when a person signed in.
    public var decidedByUser: String?
    /// When.
    public var decidedAt: Date

    /// Creates a record.
    public init(
        id: String, caseID: String, decision: Para14Decision, reason: String, decidedBy: Person,
        decidedByUser: String?, decidedAt: Date
    ) {
        self.id = id
        self.caseID = caseID
        self.decision = decision
        self.reason = reason
        self.decidedBy = decidedBy
        self.decidedByUser = decidedByUser
        self.decidedAt = decidedAt
    }

    init(row: Row) throws {
        let text: String = row["decision"]
        guard let decision = Para14Decision(rawValue: text) else {
            throw RefGateError(.storedDataUnknown, "decision \(row["id"] as String) is an unknown \(text)")
        }
        self.init(
            id: row["id"], caseID: row["case_id"], decision: decision, reason: row["reason"],
            decidedBy: Person(name: row["decided_by_name"], role: row["decided_by_role"]),
            decidedByUser: row["decided_by_user"], decidedAt: row.instant("decided_at"))
    }
}

extension DecisionRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "case_decisions"

    /// Its columns, as `init(row:)` reads them.
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["case_id"] = caseID
        container["decision"] = decision.rawValue
        container["reason"] = reason
        container["decided_by_name"] = decidedBy.name
        container["decided_by_role"] = decidedBy.role
        container["decided_by_user"] = decidedByUser
        container["decided_at"] = decidedAt.epochMilliseconds
    }
}

/// A legal hold on a case: retention leaves its data alone until the hold is lifted.
public struct LegalHoldRecord: Sendable, Hashable {
    /// The case.
    public var caseID: String
    /// Why.
    public var reason: String
    /// Who set it.
    public var setBy: Person
    /// Their user account, when a person signed in.
    public var setByUser: String?
    /// When.
    public var setAt: Date

    /// Creates a record.
    public init(caseID: String, reason: String, setBy: Person, setByUser: String?, setAt: Date) {
        self.caseID = caseID
        self.reason = reason
        self.setBy = setBy
        self.setByUser = setByUser
        self.setAt = setAt
    }

    init(row: Row) {
        self.init(
            caseID: row["case_id"], reason: row["reason"],
            setBy: Person(name: row["set_by_name"], role: row["set_by_role"]), setByUser: row["set_by_user"],
            setAt: row.instant("set_at"))
    }
}

extension LegalHoldRecord: PersistableRecord {
    /// The table.
    public static let databaseTableName = "legal_holds"

    /// Its columns, as `init(row:)` reads them.
    public func encode(to container: inout PersistenceContainer) {
        container["case_id"] = caseID
        container["reason"] = reason
        container["set_by_name"] = setBy.name
        container["set_by_role"] = setBy.role
        container["set_by_user"] = setByUser
        container["set_at"] = setAt.epochMilliseconds
    }
}
