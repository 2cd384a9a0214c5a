import Foundation

/// A helper process (e.g. the Python TLS peer) that runs while a test needs it.
/// Its standard input is a pipe: closing it, or releasing this value, stops the helper.
public final class BackgroundProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` and `stdin` are set in init and only read afterwards;
    // Process and FileHandle are thread-safe for terminate/close.
    private let process: Process
    private let stdin: Pipe

    /// Starts `arguments` (looked up on PATH).
    public init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for a file the helper writes when ready, and returns its contents.
    public func waitForFile(_ path: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty { return text }
            guard process.isRunning else { throw CocoaError(.executableLoad) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CocoaError(.fileReadNoSuchFile)
    }

    /// Stops the helper.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit(timeout: .seconds(10))
    }

    deinit { stop() }
}
