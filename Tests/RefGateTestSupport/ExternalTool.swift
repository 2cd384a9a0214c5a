import Foundation

/// Runs an independent tool (openssl, curl, python3) as a real peer of the code under test.
public enum ExternalTool {
    /// What a tool printed and how it exited.
    public struct Result: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var output: String
        /// Standard error.
        public var error: String
        /// Both, for failure messages.
        public var combined: String { "exit \(status)\nstdout: \(output)\nstderr: \(error)" }
    }

    /// Runs `arguments[0]` found on PATH, with optional standard input, and waits for it; a
    /// tool still running after `timeout` is killed (status 137), so no test waits for ever.
    public static func run(
        _ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        let watchdog = ChildWatchdog(process, after: timeout)
        defer { watchdog.cancel() }
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes before waiting so a chatty tool cannot block on a full pipe.
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            error: String(decoding: err, as: UTF8.self))
    }

    /// ``run(_:input:environment:timeout:)`` on a thread of its own: a test waiting for a slow
    /// tool must not hold one of the few threads (two here) that every task shares, or the
    /// servers of other tests running beside it stall too.
    public static func runOffPool(
        _ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result {
                        try run(arguments, input: input, environment: environment, timeout: timeout)
                    })
            }
        }
    }

    /// The folder of Python helpers used as independent peers (Tests/interop).
    public static var interopFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("interop").path
    }

    /// The repository's schemas folder.
    public static var schemasFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas").path
    }
}
