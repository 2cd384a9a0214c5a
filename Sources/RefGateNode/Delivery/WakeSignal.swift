import Synchronization

/// Wakes a single waiting loop early (new work was written) or lets it sleep until a timeout.
///
/// A signal sent while nobody waits is remembered, so a wake-up between "found nothing to do"
/// and "started waiting" is never lost. `signal()` is synchronous so shutdown handlers can
/// call it. One waiter at a time.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation: UInt64 = 0
        var expiredGeneration: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Creates a signal.
    public init() {}

    /// Wakes the waiter now, or the next call to `wait` if nobody is waiting.
    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns when signalled, when `timeout` passes, or when the calling task is cancelled.
    public func wait(timeout: Duration) async {
        let generation = state.withLock { state -> UInt64? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.generation &+= 1
            return state.generation
        }
        guard let generation else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Runs whether the sleep ends or is cancelled, so the waiter always resumes.
                try? await Task.sleep(for: timeout)
                self.expire(generation)
            }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || state.expiredGeneration == generation {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            group.cancelAll()
        }
    }

    private func expire(_ generation: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.expiredGeneration = generation
            guard state.generation == generation, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
