import Foundation
import Synchronization

/// The one place where PostgreSQL's SQL differs from the dialect the store's statements are
/// written in (SQLite's, kept to what both engines share).
///
/// - `?` placeholders become `$1`, `$2`, … (outside string literals);
/// - `instr(column, ?)` (a byte string in a blob) becomes `position(? IN column)`;
/// - `CAST(text AS BLOB)` becomes `convert_to(text, 'UTF8')`.
///
/// SQLite's `LIKE` ignores the case of ASCII letters and PostgreSQL's does not: the store's
/// statements only use it where case cannot differ (markers such as `sha256:`), or on `lower()`.
///
/// Everything else (upserts with `ON CONFLICT`, `RETURNING`, `rowid` — a column of its own in the
/// PostgreSQL schema) is written so both engines read it the same. Each statement is translated
/// once; the store has a fixed set of them.
enum PostgresDialect {
    private static let cache = Mutex<[String: String]>([:])

    /// `sql` in PostgreSQL's spelling.
    static func translate(_ sql: String) -> String {
        if let known = cache.withLock({ $0[sql] }) { return known }
        let translated = rewrite(sql)
        cache.withLock { $0[sql] = translated }
        return translated
    }

    static func rewrite(_ sql: String) -> String {
        var sql = replacing(#"\binstr\(([A-Za-z_.]+), \?\)"#, in: sql, with: "position(? IN $1)")
        sql = replacing(#"CAST\((.+?) AS BLOB\)"#, in: sql, with: "convert_to($1, 'UTF8')")
        var output = ""
        output.reserveCapacity(sql.count + 16)
        var parameter = 0
        var inString = false
        for character in sql {
            if character == "'" { inString.toggle() }
            if character == "?" && !inString {
                parameter += 1
                output += "$\(parameter)"
            } else {
                output.append(character)
            }
        }
        return output
    }

    private static func replacing(_ pattern: String, in text: String, with template: String) -> String {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}
