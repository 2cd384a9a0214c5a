import Foundation
import RefGateCore

/// Fresh folders for the demo and the benchmarks.
enum TemporaryFolder {
    /// Creates a new folder under the system temporary directory and returns its path.
    static func make(prefix: String = "refgate-demo") throws -> String {
        // mkdtemp replaces the trailing six X's.
        let pattern = prefix + "-" + String(repeating: "X", count: 6)
        var template = Array(
            URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(pattern).path.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RefGateError(.invalidInput, "cannot create a temporary folder")
        }
        return String(cString: made)
    }
}
