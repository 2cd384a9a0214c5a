import Foundation
import GRDB
import RefGateCore

// Instants are stored as INTEGER milliseconds since the Unix epoch (UTC): the one precision
// of refgate (`Date+Milliseconds`), so a value read back equals the value written.
extension Row {
    /// The instant in an INTEGER millisecond column.
    func instant(_ column: String) -> Date { Date(epochMilliseconds: self[column]) }

    /// The instant in a nullable INTEGER millisecond column.
    func optionalInstant(_ column: String) -> Date? { (self[column] as Int64?).map(Date.init(epochMilliseconds:)) }
}
