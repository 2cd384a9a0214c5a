import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

extension PostgresEngine {
    /// Whether this instance leads the periodic work (deadlines, directory watch, tree heads,
    /// retention, regional figures): it holds a session advisory lock on a connection of its
    /// own. The lock goes with the session, so when the leader dies (its connection closes) or
    /// PostgreSQL restarts, the next instance to ask takes it. Asked before every round; a
    /// leader's connection is checked each time, so one that lost it stops leading at once.
    func holdsLeadership() -> Bool {
        leadership.withLock { state -> Bool in
            if let connection = state.connection, !connection.isClosed, state.leader {
                // Still ours while the session lives.
                if (try? connection.query(PostgresQuery(unsafeSQL: "SELECT 1"), logger: logger).wait()) != nil {
                    return true
                }
            }
            if let connection = state.connection, connection.isClosed || state.leader {
                _ = try? connection.close().wait()
                state.connection = nil
                state.leader = false
            }
            do {
                let connection = try state.connection ?? connect()
                state.connection = connection
                let rows = try connection.query(
                    PostgresQuery(unsafeSQL: "SELECT pg_try_advisory_lock(\(PostgresLocks.leader)) AS taken"),
                    logger: logger
                ).wait()
                let taken = try rows.rows.first?.decode(Bool.self) ?? false
                if taken && !state.leader {
                    logger.notice("this instance now leads the periodic work")
                }
                state.leader = taken
                return taken
            } catch {
                if let connection = state.connection { _ = try? connection.close().wait() }
                state.connection = nil
                state.leader = false
                return false
            }
        }
    }

    /// Gives leadership up (graceful shutdown), so another instance takes it at its next ask.
    func releaseLeadership() {
        leadership.withLock { state in
            if let connection = state.connection { _ = try? connection.close().wait() }
            state.connection = nil
            state.leader = false
        }
    }
}
