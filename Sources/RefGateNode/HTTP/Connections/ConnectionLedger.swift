import Synchronization

/// Open connections per remote IP address, shared by every connection of one listener (they
/// run on different event loops, hence the lock).
final class ConnectionLedger: Sendable {
    private let open = Mutex<[String: Int]>([:])
    let maxPerAddress: Int

    init(maxPerAddress: Int) { self.maxPerAddress = maxPerAddress }

    /// Counts a new connection from `address`; false (and nothing counted) when the address
    /// already holds its share.
    func admit(_ address: String) -> Bool {
        open.withLock { open in
            let count = open[address, default: 0]
            guard count < maxPerAddress else { return false }
            open[address] = count + 1
            return true
        }
    }

    /// Forgets a connection `admit` counted.
    func release(_ address: String) {
        open.withLock { open in
            let count = open[address, default: 0] - 1
            open[address] = count > 0 ? count : nil
        }
    }

    /// Connections counted for `address` (for tests).
    func count(_ address: String) -> Int { open.withLock { $0[address, default: 0] } }
}
