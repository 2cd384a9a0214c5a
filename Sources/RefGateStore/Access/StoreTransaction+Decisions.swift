import Foundation
import GRDB
import RefGateCore

extension StoreReader {
    /// A case's para 14 decisions, oldest first.
    public func decisions(caseID: String) throws -> [DecisionRecord] {
        try Row.fetchAll(
            try db.cached("SELECT * FROM case_decisions WHERE case_id = ? ORDER BY decided_at, id"),
            arguments: [caseID]
        ).map(DecisionRecord.init)
    }

    /// The legal hold on a case, if one is set.
    public func legalHold(caseID: String) throws -> LegalHoldRecord? {
        try Row.fetchOne(try db.cached("SELECT * FROM legal_holds WHERE case_id = ?"), arguments: [caseID])
            .map(LegalHoldRecord.init)
    }

    /// Cases with a para 14 decision, and cases under a legal hold (for retention).
    public func decidedAndHeldCaseIDs() throws -> (decided: Set<String>, held: Set<String>) {
        (
            Set(try String.fetchAll(try db.cached("SELECT DISTINCT case_id FROM case_decisions"))),
            Set(try String.fetchAll(try db.cached("SELECT case_id FROM legal_holds")))
        )
    }
}

extension StoreTransaction {
    /// Records a para 14 decision, audited with who decided.
    public func insert(_ decision: DecisionRecord, actor: AuditActor) throws {
        try decision.insert(db)
        try appendAudit(
            AuditEvent(
                .caseDecided, caseID: decision.caseID, subject: decision.id, actor: actor,
                detail: ["decision": decision.decision.rawValue]),
            at: decision.decidedAt)
        caseChanged(decision.caseID)
    }

    /// Sets (or replaces) a case's legal hold, audited.
    public func setLegalHold(_ hold: LegalHoldRecord, actor: AuditActor) throws {
        try hold.save(db, key: "case_id")
        try appendAudit(AuditEvent(.legalHoldSet, caseID: hold.caseID, actor: actor), at: hold.setAt)
        caseChanged(hold.caseID)
    }

    /// Lifts a case's legal hold; false if it had none.
    @discardableResult
    public func liftLegalHold(caseID: String, actor: AuditActor, at time: Date) throws -> Bool {
        let changedRows = try db.changes(sql: "DELETE FROM legal_holds WHERE case_id = ?", arguments: [caseID])
        guard changedRows == 1 else { return false }
        try appendAudit(AuditEvent(.legalHoldLifted, caseID: caseID, actor: actor), at: time)
        caseChanged(caseID)
        return true
    }
}
