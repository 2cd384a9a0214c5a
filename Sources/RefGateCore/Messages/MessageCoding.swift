import Foundation

/// The JSON conventions of every refgate message: RFC 3339 UTC instants at millisecond
/// precision, sorted keys.
public enum MessageCoding {
    /// An encoder for message payloads (sorted keys so output is stable).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatInstant(date))
        }
        return encoder
    }

    /// A decoder for message payloads; accepts RFC 3339 instants with any offset and fraction,
    /// held at millisecond precision.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseInstant(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an RFC 3339 instant")
            }
            return date
        }
        return decoder
    }

    /// Formats an instant as RFC 3339 UTC at millisecond precision: `2026-11-23T09:00:00.250Z`,
    /// or `2026-11-23T09:00:00Z` when the milliseconds are zero. Integer arithmetic, so the
    /// text always names exactly the instant's millisecond.
    public static func formatInstant(_ date: Date) -> String {
        let milliseconds = date.epochMilliseconds
        let seconds = milliseconds.floorDivided(by: 1000)
        let fraction = Int(milliseconds - seconds * 1000)
        let days = seconds.floorDivided(by: 86_400)
        let second = Int(seconds - days * 86_400)
        let day = CalendarDate(daysSinceEpoch: Int(days))
        // Digits into bytes: every message, receipt and audit entry carries instants.
        var text = [UInt8]()
        text.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                text.append(UInt8(48 + value / divisor % 10))
                divisor /= 10
            }
        }
        if (0...9999).contains(day.year) {
            digits(day.year, 4)
            text.append(UInt8(ascii: "-"))
            digits(day.month, 2)
            text.append(UInt8(ascii: "-"))
            digits(day.day, 2)
        } else {
            text += Array(day.description.utf8)
        }
        text.append(UInt8(ascii: "T"))
        digits(second / 3600, 2)
        text.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2)
        text.append(UInt8(ascii: ":"))
        digits(second % 60, 2)
        if fraction != 0 {
            text.append(UInt8(ascii: "."))
            digits(fraction, 3)
        }
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses an RFC 3339 instant (`2026-11-23T09:00:00Z`, `…T10:00:00.25+01:00`): a `T` (or
    /// `t`) between date and time, an offset `Z` or `±hh:mm`, any number of fraction digits
    /// (rounded to the millisecond). Returns nil for anything else.
    public static func parseInstant(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let dayOfMonth = number(bytes, 8, 2),
            let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
            let day = CalendarDate(year: year, month: month, day: dayOfMonth), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fractionMilliseconds: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > start else { return nil }
            // Milliseconds from the first three digits, rounded half up by the fourth.
            var value: Int64 = 0
            for position in 0..<3 {
                value = value * 10 + (start + position < index ? Int64(bytes[start + position] - 48) : 0)
            }
            if start + 3 < index, bytes[start + 3] >= UInt8(ascii: "5") { value += 1 }
            fractionMilliseconds = value
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let hours = number(bytes, index + 1, 2), let minutes = number(bytes, index + 4, 2), hours < 24,
                minutes < 60
            else { return nil }
            offsetSeconds = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let seconds = Int64(day.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return Date(epochMilliseconds: seconds * 1000 + fractionMilliseconds)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - 48)
        }
        return value
    }
}
