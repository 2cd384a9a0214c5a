import GRDB

/// A statement's `?` arguments, in order: GRDB's values, which both engines bind.
struct SQLArguments: ExpressibleByArrayLiteral {
    /// The values, in placeholder order.
    private(set) var values: [DatabaseValue]

    init() { values = [] }

    init(_ values: [DatabaseValue]) { self.values = values }

    init(arrayLiteral elements: (any DatabaseValueConvertible)?...) {
        values = elements.map { $0?.databaseValue ?? .null }
    }

    /// The same values as GRDB's arguments (the SQLite engine).
    var grdb: StatementArguments { StatementArguments(values) }

    static func += (lhs: inout SQLArguments, rhs: SQLArguments) { lhs.values += rhs.values }

    static func + (lhs: SQLArguments, rhs: SQLArguments) -> SQLArguments { SQLArguments(lhs.values + rhs.values) }
}
