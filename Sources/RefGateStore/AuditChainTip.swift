import Foundation
import RefGateTrust

/// The audit chain's last entry, remembered within one write transaction so that each append
/// does not read it back from `audit_log` (a node appends about four entries per message).
///
/// It is forgotten whenever a transaction begins and whenever a savepoint rolls back, so it
/// never outlives what it describes: another process may append between transactions, and a
/// rolled-back append takes its entry with it. Within a transaction SQLite's write lock keeps
/// every other writer out.
final class AuditChainTip: @unchecked Sendable {
    // Unchecked: only the store's single writer connection touches it, inside GRDB's
    // serialized write access, so no two threads use it at once.
    private var tip: (next: Int, prev: String)?

    /// The index and previous hash for the next entry, if known in this transaction.
    var next: (next: Int, prev: String)? { tip }

    /// Records the entry just appended.
    func appended(seq: Int, leafHash: Data) { tip = (seq + 1, leafHash.hexEncoded) }

    /// Forgets the tip: a transaction begins, or a savepoint rolled back.
    func forget() { tip = nil }
}
