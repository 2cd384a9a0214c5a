import Foundation
import GRDB

extension StoreReader {
    /// The case a request with this idempotency key opened, if any.
    public func requestKey(_ key: String) throws -> RequestKeyRecord? {
        try Row.fetchOne(
            try db.cached("SELECT key, case_id, draft_digest, created_at FROM request_keys WHERE key = ?"),
            arguments: [key]
        ).map { row in
            RequestKeyRecord(
                key: row["key"], caseID: row["case_id"], draftDigest: row["draft_digest"],
                createdAt: row.instant("created_at"))
        }
    }
}

extension StoreTransaction {
    /// Records the idempotency key of a request, in the transaction that opens its case.
    public func insert(_ key: RequestKeyRecord) throws {
        try db.run(
            sql: "INSERT INTO request_keys (key, case_id, draft_digest, created_at) VALUES (?, ?, ?, ?)",
            arguments: [key.key, key.caseID, key.draftDigest, key.createdAt.epochMilliseconds])
    }
}
