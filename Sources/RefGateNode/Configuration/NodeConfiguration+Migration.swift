import Foundation
import RefGateCore

extension NodeConfiguration {
    /// The file at `path` in the current form, for `refgate config migrate`: each renamed
    /// setting under its new name (when both are set, the new one stands and the old goes), and
    /// nothing else changed (paths stay relative). Says what it changed.
    public static func migrate(path: String) throws -> (data: Data, changes: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RefGateError(
                .configurationInvalid, "cannot read the configuration file \(path): check the --config path")
        }
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RefGateError(
                .configurationInvalid,
                "\(path) is not a JSON object; fix its syntax first (`refgate config check` says where)")
        }
        var changes: [String] = []
        for (old, new) in renamedSettings.sorted(by: { $0.key < $1.key }) where object[old] != nil {
            let value = object.removeValue(forKey: old)
            if object[new] == nil {
                object[new] = value
                changes.append("'\(old)' renamed '\(new)'")
            } else {
                changes.append("'\(old)' removed: '\(new)', its new name, is set")
            }
        }
        let written = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return (written + Data("\n".utf8), changes)
    }

    /// Replaces the configuration at `path` with `data` once `data` loads as a configuration
    /// (from the same folder, so relative paths mean the same): atomically, with the file's
    /// mode, keeping the old file as `path.previous`.
    public static func replace(path: String, with data: Data) throws {
        let manager = FileManager.default
        let mode = (try? manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o600
        let candidate = path + ".next"
        guard manager.createFile(atPath: candidate, contents: data, attributes: [.posixPermissions: mode]) else {
            throw RefGateError(
                .configurationInvalid, "cannot write \(candidate): check that this user may write its folder")
        }
        do {
            _ = try load(path: candidate)
            try? manager.removeItem(atPath: path + ".previous")
            try manager.copyItem(atPath: path, toPath: path + ".previous")
            guard rename(candidate, path) == 0 else {
                throw RefGateError(
                    .configurationInvalid, "cannot replace \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? manager.removeItem(atPath: candidate)
            throw error
        }
    }
}
