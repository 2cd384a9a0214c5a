import GRDB

// Every statement the store runs is one of a fixed set of SQL strings: keep them prepared
// (GRDB's statement cache) instead of parsing SQL on the writer thread for every write.
extension Database {
    /// Executes one cached statement.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// A cached statement, for fetches.
    func cached(_ sql: String) throws -> Statement { try cachedStatement(sql: sql) }
}
