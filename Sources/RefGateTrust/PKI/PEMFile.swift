import Foundation
import RefGateCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads and writes PEM files (and other small documents: the directory, configs, tokens).
/// Private keys are written with mode 0600 from the first byte; every write is atomic.
public enum PEMFile {
    /// Writes a private key: created with mode 0600 (never world-readable, even briefly).
    public static func writePrivateKey(_ pem: String, to path: String) throws {
        try writeAtomically(Data(pem.utf8), to: path, mode: 0o600)
    }

    /// Writes a file holding personal data or secrets (an evidence bundle, a subject access
    /// export): mode 0600 from the first byte, whatever the umask.
    public static func writePrivate(_ data: Data, to path: String) throws {
        try writeAtomically(data, to: path, mode: 0o600)
    }

    /// Writes a certificate or other public document with mode 0644.
    public static func writePublic(_ text: String, to path: String) throws {
        try writeAtomically(Data(text.utf8), to: path, mode: 0o644)
    }

    /// Reads a secret (private key, token, password, webhook secret): refused, with how to fix
    /// it, when it is a symbolic link or group or others may read or write it.
    public static func readSecret(_ path: String, what: String) throws -> String {
        try checkPrivate(path, what: what)
        return try read(path, what: what)
    }

    /// Throws `configuration-invalid` unless `path` is a regular file (not a symbolic link) that
    /// only its owner may read and write.
    public static func checkPrivate(_ path: String, what: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw RefGateError(
                .configurationInvalid, "cannot read \(what) at \(path): check the path in the configuration")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw RefGateError(
                .configurationInvalid,
                "\(what) at \(path) is not a regular file (a symbolic link?): secrets are read only from the file itself"
            )
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw RefGateError(
                .configurationInvalid,
                "\(what) at \(path) may be read by group or others (mode \(String(mode, radix: 8))): run chmod 600 \(path)"
            )
        }
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

    /// Writes through a new file beside the target, synced, then renamed over it, and the
    /// folder synced: a crash at any moment leaves either the old file or the new one, never
    /// half of one (a node must not be left with a torn directory it cannot start from).
    private static func writeAtomically(_ bytes: Data, to path: String, mode: mode_t) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        func failure(_ what: String) -> RefGateError {
            RefGateError(.storageFailed, "cannot \(what) \(path): \(String(cString: strerror(errno)))")
        }
        let temporary = "\(path).tmp-\(UInt32.random(in: 0...UInt32.max))"
        // O_EXCL and O_NOFOLLOW: never write through a file or link someone placed there.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw failure("write") }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            // The umask may have narrowed the mode at creation; set it exactly.
            guard fchmod(fd, mode) == 0 else { throw failure("set the mode of") }
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { throw failure("write") }
                written += n
            }
            guard fsync(fd) == 0 else { throw failure("sync") }
        }
        guard rename(temporary, path) == 0 else { throw failure("replace") }
        renamed = true
        let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }
}
