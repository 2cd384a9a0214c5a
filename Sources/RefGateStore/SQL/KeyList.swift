import GRDB

/// Keys for an `IN (…)` list, in chunks whose sizes come from a short fixed set.
///
/// A statement that takes a set of keys in one round trip has other SQL for each number of
/// keys, and each SQL is a statement prepared once per connection. Padding a chunk to the next
/// power of two (by repeating its last key, which changes no `IN`) keeps that to seven statements
/// for any set: 1, 2, 4, … 64 keys.
struct KeyList {
    /// The most keys in one statement.
    static let maxChunk = 64

    /// `?, ?, …`, one per key.
    let placeholders: String
    /// The keys, padded.
    let arguments: SQLArguments

    /// The chunks of `keys`, in order; none for no keys.
    static func chunks(_ keys: [String]) -> [KeyList] {
        stride(from: 0, to: keys.count, by: maxChunk).map { start in
            let chunk = Array(keys[start..<min(start + maxChunk, keys.count)])
            var size = 1
            while size < chunk.count { size *= 2 }
            let padded = chunk + Array(repeating: chunk[chunk.count - 1], count: size - chunk.count)
            return KeyList(
                placeholders: Array(repeating: "?", count: size).joined(separator: ", "),
                arguments: SQLArguments(padded.map(\.databaseValue)))
        }
    }
}
