import Foundation
import RefGateCore
import RefGateTrust

/// The audit chain as one write transaction sees it: the last entry, remembered so that each
/// append does not read it back from `audit_log` (a node appends about four entries per
/// message), and, on PostgreSQL, the entries held back until commit.
///
/// On SQLite an entry is written as it is appended; the database's single writer keeps every
/// other writer out for the whole transaction. On PostgreSQL several instances append to one
/// log, so the chain's tip is read under a transaction-scoped advisory lock: taken at the first
/// append, it would be held for the rest of the transaction and every other instance's writes
/// would queue behind it. Instead the entries are held here (`deferring`) and written together
/// just before commit (`StoreTransaction.appendDeferredAudit`): the lock is held for that
/// insert and the commit only. The log's order is then the order of commits, as it is on SQLite.
///
/// The tip is forgotten whenever a transaction begins and whenever a savepoint rolls back, so it
/// never outlives what it describes; a rolled-back savepoint's held entries go with it.
final class AuditChainTip: @unchecked Sendable {
    // Unchecked: one instance belongs to one writer (the group commit's serial queue, or one
    // `writeSync` call), which uses it inside its transaction only; no two threads use it at once.
    private var tip: (next: Int, prev: String)?
    /// Entries appended in this transaction and not yet written (PostgreSQL).
    private var held: [(event: AuditEvent, at: Date)] = []
    /// Whether entries are held until commit rather than written as they are appended.
    let deferring: Bool

    init(deferring: Bool = false) { self.deferring = deferring }

    /// The index and previous hash for the next entry, if known in this transaction.
    var next: (next: Int, prev: String)? { tip }

    /// Records the entry just appended.
    func appended(seq: Int, leafHash: Data) { tip = (seq + 1, leafHash.hexEncoded) }

    /// Holds an entry until `StoreTransaction.appendDeferredAudit` writes it.
    func hold(_ event: AuditEvent, at time: Date) { held.append((event, time)) }

    /// Forgets the tip and every held entry: a transaction begins.
    func begin() {
        tip = nil
        held = []
    }

    /// Where a savepoint begins, to roll back to.
    func mark() -> Int { held.count }

    /// A savepoint begun at `mark` rolled back: its held entries go, and the tip is forgotten.
    func rollback(to mark: Int) {
        tip = nil
        if held.count > mark { held.removeLast(held.count - mark) }
    }

    /// Takes the held entries, to be written now.
    func takeHeld() -> [(event: AuditEvent, at: Date)] {
        defer { held = [] }
        return held
    }
}
