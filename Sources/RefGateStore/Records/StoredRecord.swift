import Foundation
import GRDB

/// A record GRDB decodes from its table by the `Decodable` conformance alone: a column is its
/// property's name in snake case, with `ID` written `_id` (`requestMessageID` is
/// `request_message_id`), and every instant is INTEGER milliseconds since the epoch.
/// Records whose columns differ from their properties (a `Person` kept in two columns, a JWS
/// kept as a BLOB) map rows themselves in `init(row:)`.
public protocol StoredRecord: FetchableRecord, Decodable {}

extension StoredRecord {
    /// Columns in snake case, `ID` as `_id`.
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy {
        .custom { column in StoredColumn(column: column) }
    }

    /// Instants as INTEGER milliseconds since the epoch.
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .millisecondsSince1970
    }
}

/// The coding key for a column: `request_message_id` → `requestMessageID`.
struct StoredColumn: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(column: String) {
        let parts = column.split(separator: "_").map(String.init)
        stringValue = parts.enumerated().map { index, part in
            if index == 0 { return part }
            return part == "id" ? "ID" : part.prefix(1).uppercased() + part.dropFirst()
        }.joined()
    }

    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
