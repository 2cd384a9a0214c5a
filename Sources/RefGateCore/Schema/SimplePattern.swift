/// A JSON Schema pattern of the simple shape most of refgate's have — `^`, then character
/// classes and literals each with a quantifier, then optionally `$` — matched over ASCII
/// bytes without ICU. A node checks several patterns in every message, and ICU's per-call
/// set-up was a measurable share of its CPU. Anything else (groups, alternation, `.`) is not
/// simple: `init` returns nil and ICU matches it. Non-ASCII input also goes to ICU, whose
/// classes count UTF-16 units.
struct SimplePattern: Sendable {
    private struct Atom: Sendable {
        /// Which ASCII bytes match: bit `b` of word `b / 64`.
        var allowed: (UInt64, UInt64)
        /// Repetitions, at least and at most.
        var min: Int
        var max: Int

        func matches(_ byte: UInt8) -> Bool {
            byte < 64 ? allowed.0 & (1 << UInt64(byte)) != 0 : allowed.1 & (1 << UInt64(byte - 64)) != 0
        }
    }

    private let atoms: [Atom]
    /// Whether the pattern ends with `$` (else only a prefix must match).
    private let anchoredEnd: Bool

    init?(_ pattern: String) {
        var bytes = Array(pattern.utf8)
        guard bytes.first == UInt8(ascii: "^"), bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        bytes.removeFirst()
        anchoredEnd =
            bytes.last == UInt8(ascii: "$") && (bytes.count < 2 || bytes[bytes.count - 2] != UInt8(ascii: "\\"))
        if anchoredEnd { bytes.removeLast() }
        var atoms: [Atom] = []
        var index = 0
        func set(_ byte: UInt8, in allowed: inout (UInt64, UInt64)) {
            if byte < 64 { allowed.0 |= 1 << UInt64(byte) } else { allowed.1 |= 1 << UInt64(byte - 64) }
        }
        func escaped(_ byte: UInt8, into allowed: inout (UInt64, UInt64)) -> Bool {
            switch byte {
            case UInt8(ascii: "s"):
                for space in [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D] as [UInt8] { set(space, in: &allowed) }
            case UInt8(ascii: "d"): for digit in UInt8(ascii: "0")...UInt8(ascii: "9") { set(digit, in: &allowed) }
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: "$"), UInt8(ascii: "^"), UInt8(ascii: "+"), UInt8(ascii: "*"),
                UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "|"), UInt8(ascii: "@"), UInt8(ascii: ":"):
                set(byte, in: &allowed)
            default: return false
            }
            return true
        }
        while index < bytes.count {
            var allowed: (UInt64, UInt64) = (0, 0)
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "["):
                var negated = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "^") {
                    negated = true
                    index += 1
                }
                var closed = false
                while index < bytes.count {
                    var member = bytes[index]
                    index += 1
                    if member == UInt8(ascii: "]") {
                        closed = true
                        break
                    }
                    if member == UInt8(ascii: "\\") {
                        guard index < bytes.count, escaped(bytes[index], into: &allowed) else { return nil }
                        index += 1
                        continue
                    }
                    // A range a-z (a '-' first or last is literal).
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] != UInt8(ascii: "]")
                    {
                        let upper = bytes[index + 1]
                        guard upper >= member, upper != UInt8(ascii: "\\") else { return nil }
                        index += 2
                        while member < upper {
                            set(member, in: &allowed)
                            member += 1
                        }
                    }
                    set(member, in: &allowed)
                }
                guard closed else { return nil }
                // A negated class would match non-ASCII characters too; input with any is
                // left to ICU, so the ASCII complement is exact here.
                if negated { allowed = (~allowed.0, ~allowed.1) }
            case UInt8(ascii: "\\"):
                guard index < bytes.count, escaped(bytes[index], into: &allowed) else { return nil }
                index += 1
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "."), UInt8(ascii: "$"),
                UInt8(ascii: "^"), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "{"),
                UInt8(ascii: "}"), UInt8(ascii: "]"):
                return nil
            default: set(byte, in: &allowed)
            }
            var (min, max) = (1, 1)
            if index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "+"): (min, max, index) = (1, Int.max, index + 1)
                case UInt8(ascii: "*"): (min, max, index) = (0, Int.max, index + 1)
                case UInt8(ascii: "?"): (min, max, index) = (0, 1, index + 1)
                case UInt8(ascii: "{"):
                    guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else { return nil }
                    let inside = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                    let bounds = inside.split(separator: ",", omittingEmptySubsequences: false)
                    guard (1...2).contains(bounds.count), let low = Int(bounds[0]) else { return nil }
                    let high = bounds.count == 1 ? low : (bounds[1].isEmpty ? Int.max : Int(bounds[1]))
                    guard let high, high >= low else { return nil }
                    (min, max, index) = (low, high, close + 1)
                default: break
                }
                // A lazy or possessive quantifier is not simple.
                if index < bytes.count, [UInt8(ascii: "?"), UInt8(ascii: "+")].contains(bytes[index]),
                    max != 1 || min != 1
                {
                    return nil
                }
            }
            atoms.append(Atom(allowed: allowed, min: min, max: max))
        }
        self.atoms = atoms
    }

    /// Whether `text` matches, or nil when ICU must decide (non-ASCII text).
    func matches(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bytes -> Bool? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            return match(atom: 0, at: 0, in: bytes)
        }
    }

    // Greedy with backtracking; patterns and inputs are short.
    private func match(atom index: Int, at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard index < atoms.count else { return !anchoredEnd || position == bytes.count }
        let atom = atoms[index]
        var end = position
        while end < bytes.count, end - position < atom.max, atom.matches(bytes[end]) { end += 1 }
        guard end - position >= atom.min else { return false }
        while true {
            if match(atom: index + 1, at: end, in: bytes) { return true }
            guard end - position > atom.min else { return false }
            end -= 1
        }
    }
}
