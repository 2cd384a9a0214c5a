import Foundation
import Synchronization

/// A TCP listener on 127.0.0.1 that reads each request and closes the connection without an
/// answer: a node that did the work but whose answer was lost.
final class DroppingListener: Sendable {
    /// The port it listens on.
    let port: Int
    private let socketFD: Int32
    private let count = Mutex(0)

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socketFD, raw, length) == 0 && listen(socketFD, 8) == 0
                    && getsockname(socketFD, raw, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(socketFD)
            throw POSIXError(.EADDRINUSE)
        }
        self.socketFD = socketFD
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Requests read so far.
    func requests() -> Int { count.withLock { $0 } }

    /// Stops listening; the accept loop ends.
    func close() { shutdown(socketFD, Int32(SHUT_RDWR)) }

    private func acceptLoop() {
        while true {
            let connection = accept(socketFD, nil, nil)
            guard connection >= 0 else { break }
            // Bounded: a client that sends nothing is dropped after 5 s.
            var limit = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 65_536)
            // One read: the CLI's request fits; then hang up without a word.
            if read(connection, &buffer, buffer.count) > 0 { count.withLock { $0 += 1 } }
            Glibc.close(connection)
        }
        Glibc.close(socketFD)
    }
}
