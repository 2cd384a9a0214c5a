import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Kills a child process that outlives its time bound, so a stuck tool or node fails the test
/// that started it instead of hanging the run.
public final class ChildWatchdog {
    private let item: DispatchWorkItem

    /// Arms the watchdog: after `timeout`, SIGKILL `process` if it still runs.
    public init(_ process: Process, after timeout: Duration) {
        let pid = process.processIdentifier
        item = DispatchWorkItem {
            if process.isRunning { _ = kill(pid, SIGKILL) }
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
    }

    /// Disarms it.
    public func cancel() { item.cancel() }
}

extension Process {
    /// Waits for exit at most `timeout`; then SIGKILLs the process and waits for that.
    /// Returns whether it exited by itself in time.
    @discardableResult
    public func waitUntilExit(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        guard isRunning else {
            waitUntilExit()
            return true
        }
        _ = kill(processIdentifier, SIGKILL)
        waitUntilExit()
        return false
    }
}
