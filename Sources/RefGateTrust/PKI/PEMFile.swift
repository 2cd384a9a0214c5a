import Foundation
import RefGateCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads and writes PEM files; private keys are written with mode 0600 from the first byte.
public enum PEMFile {
    /// Writes a private key: created with mode 0600 (never world-readable, even briefly).
    public static func writePrivateKey(_ pem: String, to path: String) throws {
        try write(pem, to: path, mode: 0o600)
    }

    /// Writes a certificate or other public document with mode 0644.
    public static func writePublic(_ text: String, to path: String) throws {
        try write(text, to: path, mode: 0o644)
    }

    /// Reads a text file, with an error that names the file and how to fix it.
    public static func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw RefGateError(
                .certificateInvalid, "cannot read \(what) at \(path): check the path in the configuration")
        }
        return text
    }

    private static func write(_ text: String, to path: String, mode: mode_t) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else {
            throw RefGateError(.invalidInput, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // An existing file keeps its old mode through O_CREAT, so set it explicitly.
        guard fchmod(fd, mode) == 0 else {
            throw RefGateError(.invalidInput, "cannot set mode of \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                throw RefGateError(.invalidInput, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            throw RefGateError(.invalidInput, "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }
}
