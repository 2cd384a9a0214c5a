import Foundation

/// New identifiers for messages, cases, receipts and notices: UUID version 7 (RFC 9562 §5.7),
/// lowercase. Its first 48 bits are the Unix time in milliseconds, so ids made one after
/// another sort together and a node's B-tree indexes grow at their right edge: random
/// version-4 ids put every insert on a different page of every index keyed by them, and those
/// pages dominated what each commit wrote. 74 random bits keep ids unguessable and unique.
public enum TimeOrderedID {
    /// A new id for `time` (the wall clock unless given).
    public static func make(at time: Date = Date()) -> String {
        let milliseconds = UInt64(max(0, time.epochMilliseconds))
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        let more = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: random & 0x0F)
        bytes[7] = UInt8(truncatingIfNeeded: random >> 8)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: (random >> 16) & 0x3F)
        for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: more >> (8 * UInt64(index - 9))) }
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
