import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Hands out TCP ports on 127.0.0.1 for the demo, benchmarks and tests, whose directory must
/// name each node's port before the node starts.
///
/// Picking a port and binding it later races with anything else that binds meanwhile. Two
/// rules make the race practically unreachable, and `ListenerPort` turns what is left into a
/// prompt `listener-failed` error rather than a hang:
/// - a port is never handed out twice by one process, so parallel suites in a test run
///   cannot collide with each other;
/// - ports come from below the kernel's ephemeral range (`ip_local_port_range`), which the
///   kernel uses for outgoing connections and port-0 binds, so no client socket can take
///   one between the check and the bind.
public enum FreePort {
    private static let cursor = Mutex<Int?>(nil)

    /// A port that is free now and that this process has not handed out before.
    public static func next() -> Int {
        let range = candidateRange()
        for _ in 0..<range.count {
            let port = cursor.withLock { next -> Int in
                let port = next ?? Int.random(in: range)
                next = port + 1 < range.upperBound ? port + 1 : range.lowerBound
                return port
            }
            if isFree(port) { return port }
        }
        return 0
    }

    /// From 10000 up to the start of the ephemeral range (32768 on a default Linux).
    static func candidateRange() -> Range<Int> {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let low = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) }
        let upper = max(11_000, min(low ?? 32_768, 65_535))
        return 10_000..<upper
    }

    /// Whether a listener could bind `port` on 127.0.0.1 now (with SO_REUSEADDR, as the servers
    /// bind: a port left in TIME_WAIT counts as free, one with a listener does not).
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return bound == 0 && listen(fd, 1) == 0
    }
}
