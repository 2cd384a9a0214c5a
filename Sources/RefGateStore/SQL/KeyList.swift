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

    /// `rows` in chunks of a power of two rows, the largest first and none over `most`: the rows
    /// of a multi-row insert, whatever their number, then go as a few different statements
    /// (an insert cannot be padded as an `IN` list is).
    static func powerOfTwoChunks<Row>(_ rows: [Row], most: Int) -> [ArraySlice<Row>] {
        var size = 1
        while size * 2 <= most { size *= 2 }
        var chunks: [ArraySlice<Row>] = []
        var rest = rows[...]
        while !rest.isEmpty {
            while size > rest.count { size /= 2 }
            chunks.append(rest.prefix(size))
            rest = rest.dropFirst(size)
        }
        return chunks
    }

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
