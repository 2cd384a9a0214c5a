import Foundation

/// A fresh folder under the system temporary directory, removed when the value is released.
public final class TemporaryFolder: Sendable {
    /// Its path.
    public let path: String

    /// Creates the folder.
    public init(_ prefix: String = "refgate-test") throws {
        var template = Array(
            URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(prefix)-XXXXXX").path.utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made)
    }

    /// A path inside the folder.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit { try? FileManager.default.removeAll(atPath: path) }
}

extension FileManager {
    fileprivate func removeAll(atPath path: String) throws { try removeItem(atPath: path) }
}
