import Foundation
import GRDB
import RefGateCore

extension Store {
    /// The highest directory version the database at `path` ever installed, read without
    /// opening it for writing or migrating it (for `refgate config check`); nil when there is
    /// no database yet.
    public static func highestDirectoryVersion(atPath path: String) throws -> Int? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                guard try db.tableExists("directory_versions") else { return nil }
                return try Int.fetchOne(db, sql: "SELECT MAX(version) FROM directory_versions")
            }
        } catch {
            throw RefGateError(
                .configurationInvalid,
                "cannot read the database at \(path): \(error) (check the `database` path and that this user may read it)"
            )
        }
    }
}
