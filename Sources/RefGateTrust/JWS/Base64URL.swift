import Foundation

/// base64url without padding (RFC 4648 §5), as JOSE uses it.
///
/// Works on bytes directly: every message is encoded and decoded several times, and going
/// through Foundation's base64 plus string replacement was a measurable share of a node's CPU.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    /// Encodes bytes.
    public static func encode<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        let input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(alphabet[Int(chunk >> 6 & 63)])
            output.append(alphabet[Int(chunk & 63)])
            index += 3
        }
        let rest = input.count - index
        if rest > 0 {
            let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            if rest == 2 { output.append(alphabet[Int(chunk >> 6 & 63)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes text, or returns nil when it is not unpadded base64url.
    public static func decode<Text: StringProtocol>(_ text: Text) -> Data? {
        decode(bytes: text.utf8)
    }

    /// Decodes UTF-8 text, or returns nil when it is not unpadded base64url.
    public static func decode<Bytes: Collection<UInt8>>(bytes: Bytes) -> Data? {
        if let decoded = bytes.withContiguousStorageIfAvailable({ decode(buffer: UnsafeRawBufferPointer($0)) }) {
            return decoded
        }
        return Array(bytes).withUnsafeBytes { decode(buffer: $0) }
    }

    /// Decodes contiguous UTF-8 text, or returns nil when it is not unpadded base64url.
    static func decode(buffer input: UnsafeRawBufferPointer) -> Data? {
        if input.count % 4 == 1 { return nil }
        var output = Data(count: input.count * 3 / 4)
        let valid = values.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) -> Bool in
                var accumulator: UInt32 = 0
                var bits: UInt32 = 0
                var written = 0
                for character in input {
                    let value = table[Int(character)]
                    guard value != 0xFF else { return false }
                    accumulator = accumulator << 6 | UInt32(value)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        out[written] = UInt8(truncatingIfNeeded: accumulator >> bits)
                        written += 1
                    }
                }
                // Leftover bits must be zero, so each byte string has exactly one encoding.
                return accumulator & ((1 << bits) - 1) == 0
            }
        }
        return valid ? output : nil
    }
}
