import Foundation
import NIOCore
import RefGateCore
import ServiceLifecycle

/// Runs a Hummingbird application and tells its `ListenerPort` how starting went: a server
/// that cannot bind throws and never calls `onServerRunning`, so without this anyone waiting
/// for the port would wait for ever.
///
/// A failure is given to every port of the node (`siblings`) before it reaches the
/// `ServiceGroup`: the group then cancels the other listeners, and a waiter must learn the
/// cause, not that its own listener was stopped.
struct ListenerService<Listener: Service>: Service {
    let listener: Listener
    let port: ListenerPort
    let siblings: [ListenerPort]
    let address: String

    func run() async throws {
        do {
            try await listener.run()
        } catch {
            let failure = Self.explain(error, what: port.what, address: address)
            for other in [port] + siblings { other.fail(failure) }
            throw failure
        }
        port.fail(RefGateError(.listenerFailed, "the \(port.what) on \(address) stopped before it was listening"))
    }

    /// One line that says what went wrong and how to fix it.
    static func explain(_ error: any Error, what: String, address: String) -> RefGateError {
        if let error = error as? RefGateError { return error }
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE:
                return RefGateError(
                    .listenerFailed,
                    "cannot listen on \(address) for the \(what): the address is already in use (stop the other process or choose another port)"
                )
            case EACCES:
                return RefGateError(
                    .listenerFailed,
                    "cannot listen on \(address) for the \(what): permission denied (ports below 1024 need privileges)")
            case EADDRNOTAVAIL:
                return RefGateError(
                    .listenerFailed,
                    "cannot listen on \(address) for the \(what): that address is not on this machine")
            default: break
            }
        }
        return RefGateError(.listenerFailed, "cannot listen on \(address) for the \(what): \(error)")
    }
}
