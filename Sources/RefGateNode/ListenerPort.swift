import Foundation
import RefGateCore
import Synchronization

/// The port a listener bound, available once the server runs (useful with port 0).
///
/// Waiting never hangs: a listener that fails to start (port taken, TLS set-up refused) or
/// stops before binding fails every waiter with its error, a cancelled waiter returns at
/// once, and `value(timeout:)` gives up after its bound.
public final class ListenerPort: Sendable {
    private enum Outcome {
        case bound(Int)
        case failed(RefGateError)
    }

    private struct State {
        var outcome: Outcome?
        var waiters: [UInt64: CheckedContinuation<Int, any Error>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())
    /// What the listener serves, for error messages (e.g. "peer API on 127.0.0.1:8443").
    let what: String

    init(what: String) { self.what = what }

    func set(_ port: Int) { settle(.bound(port)) }

    /// Fails every present and future waiter (no effect once the port is known).
    func fail(_ error: RefGateError) { settle(.failed(error)) }

    private func settle(_ outcome: Outcome) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int, any Error>] in
            guard state.outcome == nil else { return [] }
            state.outcome = outcome
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            switch outcome {
            case .bound(let port): waiter.resume(returning: port)
            case .failed(let error): waiter.resume(throwing: error)
            }
        }
    }

    /// Waits until the listener is bound and returns its port; throws the listener's error if
    /// it failed, or `listener-failed` when `timeout` passes first.
    public func value(timeout: Duration = .seconds(30)) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask { try await self.waitForOutcome() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw RefGateError(.listenerFailed, "the \(self.what) did not start listening within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private func waitForOutcome() async throws -> Int {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let settled = state.withLock { state -> Result<Int, RefGateError>? in
                    switch state.outcome {
                    case .bound(let port): return .success(port)
                    case .failed(let error): return .failure(error)
                    case nil:
                        if Task.isCancelled { return .failure(RefGateError(.listenerFailed, "cancelled")) }
                        state.waiters[id] = continuation
                        return nil
                    }
                }
                if let settled { continuation.resume(with: settled) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
