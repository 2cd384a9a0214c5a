#if canImport(Glibc)
    import Glibc
#endif

/// Asks the kernel for a free TCP port on 127.0.0.1 (for the demo and tests, whose directory
/// must name ports before the nodes start).
public enum FreePort {
    /// A port that was free a moment ago.
    public static func next() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                guard bind(fd, raw, length) == 0 else { return -1 }
                return getsockname(fd, raw, &length)
            }
        }
        guard bound == 0 else { return 0 }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
