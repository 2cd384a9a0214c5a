import Foundation
import GRDB

extension Store {
    /// Refreshes the statistics the query planner chooses indexes by, where the engine needs
    /// them: PostgreSQL's `VACUUM (ANALYZE)` of the case table, which also marks its pages
    /// all-visible so that counts read the indexes alone (autovacuum does both, in its own time).
    /// SQLite is left without statistics on purpose: the list queries are written so that its
    /// planner's defaults pick the right index, and a sampled `ANALYZE` (`analysis_limit`)
    /// measured worse plans on a million cases (a full sort for the first page of every case).
    /// On PostgreSQL the rows of changes to the report's running totals are folded first.
    /// Run daily by the retention service and after a bulk load.
    public func refreshStatistics() throws {
        switch engine {
        case .sqlite: break
        case .postgres(let postgres):
            try writeSync { try $0.foldAnswerTallies() }
            try postgres.withConnection {
                let session = PostgresSession(connection: $0, logger: postgres.logger)
                try session.execute(raw: "VACUUM (ANALYZE) cases")
                try session.execute(raw: "VACUUM (ANALYZE) answer_tallies")
            }
        }
    }
}
