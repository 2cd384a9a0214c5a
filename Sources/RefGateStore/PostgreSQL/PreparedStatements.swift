import GRDB
import PostgresNIO

/// The named statements prepared on one PostgreSQL connection, by their SQL and the types of the
/// values bound to them.
///
/// An unnamed statement (postgres-nio's `query`) is parsed, analysed and planned by the server
/// every time it runs; a named one only when it is first prepared on its connection. The store
/// has a fixed set of statements, so each connection prepares each of them once.
///
/// A statement's parameter types are written into its SQL as casts (`$1::int8`), the types
/// postgres-nio would declare for the values: a prepared statement's types are fixed, so one
/// SQL bound with other types is another statement. A NULL is left for the server to infer,
/// as postgres-nio leaves it.
///
/// `@unchecked Sendable`: a connection is used by one session at a time (it is checked out of
/// the engine's pool), and its statements only with it; the pool hands both on together.
final class PreparedStatements: @unchecked Sendable {
    /// Most statements kept on one connection. The store's own are a few hundred; SQL built
    /// with a varying number of rows (bulk loads) past this is sent unnamed, so neither side's
    /// memory grows without bound.
    static let limit = 1_000

    /// A statement's SQL and one letter per bound value's type. The SQL is shared with the
    /// store's own string, not copied, at each run.
    struct Key: Hashable {
        let sql: String
        let types: String
    }

    private var byKey: [Key: PreparedQuery] = [:]
    /// The engine's statement generation these were prepared in.
    let generation: Int
    /// Whether PostgreSQL refused one of them because a table changed under it.
    var sawStalePlan = false

    init(generation: Int = 0) {
        self.generation = generation
    }

    /// Whether no more statements are to be prepared on this connection.
    var isFull: Bool { byKey.count >= Self.limit }

    /// The statement prepared for `key`, if any.
    subscript(key: Key) -> PreparedQuery? {
        byKey[key]
    }

    /// Records the statement prepared for `key`.
    func remember(_ statement: PreparedQuery, for key: Key) {
        byKey[key] = statement
    }

    /// The cache key of `sql` bound with `arguments`.
    static func key(_ sql: String, _ arguments: SQLArguments) -> Key {
        Key(sql: sql, types: String(arguments.values.map(letter)))
    }

    /// `translated` (in PostgreSQL's spelling, `$1`, `$2`, …) with each parameter cast to the
    /// type of the value bound to it.
    static func typed(_ translated: String, _ arguments: SQLArguments) -> String {
        let casts = arguments.values.map { value -> String in
            switch value.storage {
            case .null: ""
            case .int64: "::int8"
            case .double: "::float8"
            case .string: "::text"
            case .blob: "::bytea"
            }
        }
        var output = ""
        output.reserveCapacity(translated.utf8.count + 8 * casts.count)
        var inString = false
        var number: Int?
        func close() {
            if let index = number, index >= 1, index <= casts.count { output += casts[index - 1] }
            number = nil
        }
        for character in translated {
            if number != nil {
                if let digit = character.wholeNumberValue, character.isASCII {
                    number = number! * 10 + digit
                    output.append(character)
                    continue
                }
                close()
            }
            if character == "'" { inString.toggle() }
            output.append(character)
            if character == "$" && !inString { number = 0 }
        }
        close()
        return output
    }

    private static func letter(_ value: DatabaseValue) -> Character {
        switch value.storage {
        case .null: "n"
        case .int64: "i"
        case .double: "d"
        case .string: "s"
        case .blob: "b"
        }
    }
}
