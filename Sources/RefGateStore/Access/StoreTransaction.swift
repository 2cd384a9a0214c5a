import Foundation
import GRDB
import RefGateCore
import RefGateTrust

/// Write access inside one transaction. Everything done through one value commits together.
public struct StoreTransaction {
    let db: SQLSession
    /// The audit chain's tip, remembered for this transaction.
    let chain: AuditChainTip
    /// The work queues this transaction touches, for the wake-ups after its commit.
    let work: WorkLedger
    /// Cases whose `next_due` is recomputed at the end of this write.
    let changed = ChangedCases()

    /// Says that `caseID`'s deadline ladder may have changed (its status, escalations,
    /// reminders, or whether its request was delivered): its `next_due`, the scheduler's index,
    /// is recomputed from `DeadlineLadder` once, at the end of this write.
    public func caseChanged(_ caseID: String) { changed.ids.insert(caseID) }

    /// Recomputes `next_due` of every case this write changed (the store calls it last). A
    /// case it only inserted has its `next_due` already: nothing else could have moved it, as
    /// anything that does says so through ``caseChanged(_:)``.
    func finish() throws {
        for caseID in changed.ids.sorted() { try refreshNextDue(caseID: caseID) }
        if !changed.inserted.isEmpty { work.touch(.deadlines) }
        changed.ids = []
        changed.inserted = [:]
    }

    /// Reads within this transaction.
    public var reader: StoreReader { StoreReader(db: db) }

    /// Runs `body` in a savepoint: if it throws, what it wrote is rolled back (and the error
    /// rethrown) while the rest of the transaction stands.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var value: T?
        let touchedBefore = work.snapshot()
        let mark = chain.mark()
        do {
            try db.inSavepoint {
                value = try body()
                return .commit
            }
        } catch {
            chain.rollback(to: mark)
            work.restore(touchedBefore)
            throw error
        }
        return value!
    }

    /// Inserts a new case with its `next_due` as the ladder has it for a case without
    /// escalations; the end of the write works it out again and writes it only if it moved
    /// (each write of a case row updates every index on cases).
    public func insert(_ record: CaseRecord) throws {
        let nextDue = DeadlineLadder.nextDue(record.ladderState(open: []))?.epochMilliseconds
        try record.insert(db, adding: [("next_due", nextDue.databaseValue)])
        // When its request was signed, if the caller did not say and the request is held
        // already (else its insert says; the row is not written for nothing, which would update
        // every index on cases).
        if record.requestedAt == nil {
            try db.run(
                sql: """
                    UPDATE cases SET requested_at = (SELECT m.sent_at FROM messages m WHERE m.id = ?)
                    WHERE id = ? AND EXISTS (SELECT 1 FROM messages m WHERE m.id = ?)
                    """,
                arguments: [record.requestMessageID, record.id, record.requestMessageID])
        }
        try appendAudit(
            AuditEvent(
                .caseOpened, caseID: record.id, subject: record.requestMessageID,
                detail: [
                    "side": record.side.rawValue, "peer": record.peer.rawValue, "role": record.candidateRole.rawValue,
                    "status": record.status.rawValue,
                ]),
            at: record.createdAt)
        changed.inserted[record.id] = (record.requestMessageID, record.requestedAt?.epochMilliseconds)
    }

    /// Stores a message byte-exact.
    public func insert(_ message: MessageRecord) throws {
        try message.insert(db)
        // The case keeps when its request and response were signed, whichever is stored first;
        // a case that has the time already (its insert wrote it) is not written again.
        let sentAt = message.sentAt.epochMilliseconds
        if let caseID = message.caseID, message.kind == .verificationRequest,
            !changed.insertedHolding(caseID: caseID, request: message.id, sentAt: sentAt)
        {
            try db.run(
                sql: """
                    UPDATE cases SET requested_at = ?
                    WHERE id = ? AND request_message_id = ? AND requested_at IS DISTINCT FROM ?
                    """,
                arguments: [sentAt, caseID, message.id, sentAt])
        } else if let caseID = message.caseID, message.kind == .verificationResponse {
            try db.run(
                sql: """
                    UPDATE cases SET answered_at = ?
                    WHERE id = ? AND response_message_id = ? AND answered_at IS DISTINCT FROM ?
                    """,
                arguments: [sentAt, caseID, message.id, sentAt])
        }
        let peer = message.direction == .outgoing ? message.to : message.from
        try appendAudit(
            AuditEvent(
                message.direction == .outgoing ? .messageSent : .messageReceived, caseID: message.caseID,
                subject: message.id,
                detail: ["kind": message.kind.rawValue, "digest": message.digest, "peer": peer.rawValue]),
            at: message.recordedAt)
    }

    /// Stores a receipt for a message.
    public func insert(_ receipt: ReceiptRecord) throws {
        let caseID = try String.fetchOne(
            try db.cached("SELECT case_id FROM messages WHERE id = ?"), arguments: [receipt.messageID])
        try insert(receipt, caseID: caseID)
    }

    /// Stores a receipt of a message of the case `caseID` (nil: a message of no case), which
    /// the caller holds already: its audit entry names the case without reading the message.
    public func insert(_ receipt: ReceiptRecord, caseID: String?) throws {
        try receipt.insert(db)
        try auditReceipt(receipt, caseID: caseID)
    }

    /// The audit entry of a receipt stored.
    func auditReceipt(_ receipt: ReceiptRecord, caseID: String?) throws {
        try appendAudit(
            AuditEvent(
                .receiptRecorded, caseID: caseID, subject: receipt.messageID,
                detail: ["receipt": receipt.receiptID, "digest": Thumbprint.sha256(Data(receipt.jws.utf8))]),
            at: receipt.receivedAt)
    }

    /// Records that a directory version was installed (idempotent), keeping its signed bytes
    /// so evidence can show the version in force.
    public func insertDirectory(version: Int, digest: String, signed: String? = nil, at time: Date) throws {
        let changedRows = try db.changes(
            sql:
                "INSERT INTO directory_versions (version, digest, installed_at, signed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            arguments: [version, digest, time.epochMilliseconds, signed.map { Data($0.utf8) }])
        work.touch(.directory)
        if changedRows == 1 {
            try appendAudit(
                AuditEvent(.directoryInstalled, subject: "\(version)", detail: ["digest": digest]), at: time)
        } else if let signed {
            try db.run(
                sql: "UPDATE directory_versions SET signed = ? WHERE version = ? AND signed IS NULL",
                arguments: [Data(signed.utf8), version])
        }
    }

    /// An operator alert about a directory version, sent at most once.
    public enum DirectoryAlert: String, Sendable {
        /// It expires soon.
        case expiryWarned = "expiry_warned"
        /// It has expired.
        case expiredAlerted = "expired_alerted"
        /// It leaves members out.
        case exclusionsReported = "exclusions_reported"
    }

    /// Marks `alert` as sent for `version`; false when it already was (or the version is not
    /// recorded), so the caller sends nothing.
    public func claimDirectoryAlert(_ alert: DirectoryAlert, version: Int) throws -> Bool {
        let changedRows = try db.changes(
            sql: "UPDATE directory_versions SET \(alert.rawValue) = 1 WHERE version = ? AND \(alert.rawValue) = 0",
            arguments: [version])
        return changedRows == 1
    }
}
