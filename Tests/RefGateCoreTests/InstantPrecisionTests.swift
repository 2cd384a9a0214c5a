import Foundation
import RefGateCore
import Testing

/// refgate's one precision for instants: whole milliseconds, the same in memory, in the store
/// and on the wire.
@Suite(.timeLimit(.minutes(2))) struct InstantPrecisionTests {
    /// Milliseconds from 1900 to 2200, plus edges; the generator is seeded so runs repeat.
    static let samples: [Int64] = {
        var generator = SplitMix64(seed: 0x5eed)
        let low: Int64 = -2_208_988_800_000
        let high: Int64 = 7_258_118_400_000
        return [0, 1, -1, 999, 1000, 1_795_000_000_000, 1_795_000_000_999]
            + (0..<20_000).map { _ in low + Int64(generator.next() % UInt64(high - low)) }
    }()

    @Test func millisecondsSurviveDateAndText() throws {
        for milliseconds in Self.samples {
            let date = Date(epochMilliseconds: milliseconds)
            #expect(date.epochMilliseconds == milliseconds)
            #expect(date.atMillisecondPrecision == date)
            let text = MessageCoding.formatInstant(date)
            let parsed = try #require(MessageCoding.parseInstant(text), "\(text)")
            #expect(parsed == date, "\(text)")
        }
    }

    @Test func textMatchesFoundationsCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for milliseconds in Self.samples.prefix(2_000) {
            let date = Date(epochMilliseconds: milliseconds)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let fraction = ((milliseconds % 1000) + 1000) % 1000
            let expected =
                String(
                    format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
                + (fraction == 0 ? "" : String(format: ".%03d", fraction)) + "Z"
            #expect(MessageCoding.formatInstant(date) == expected)
        }
    }

    @Test(
        arguments: [
            ("2026-11-22T10:00:00Z", 1_795_341_600_000),
            ("2026-11-22T10:00:00.250Z", 1_795_341_600_250),
            ("2026-11-22T11:00:00.25+01:00", 1_795_341_600_250),
            ("2026-11-22T05:30:00.1-04:30", 1_795_341_600_100),
            ("2026-11-22t10:00:00.0004z", 1_795_341_600_000),
            ("2026-11-22T10:00:00.0005Z", 1_795_341_600_001),
            ("2026-11-22T10:00:00.9996Z", 1_795_341_601_000),
        ] as [(String, Int64)])
    func rfc3339TextIsReadToTheMillisecond(text: String, milliseconds: Int64) {
        #expect(MessageCoding.parseInstant(text)?.epochMilliseconds == milliseconds)
    }

    @Test(arguments: [
        "2026-11-22 10:00", "2026-11-22T10:00:00", "2026-11-22T10:00:00.Z", "2026-11-22T24:00:00Z",
        "2026-02-30T10:00:00Z", "2026-11-22T10:00:00+0100", "2026-11-22T10:00:00Z ", "+2026-11-22T10:00:00Z",
    ])
    func otherTextIsNotAnInstant(text: String) {
        #expect(MessageCoding.parseInstant(text) == nil)
    }

    @Test func clocksAnswerAtMillisecondPrecision() {
        let raw = Date(timeIntervalSince1970: 1_795_341_600.123_456_7)
        let clock = ManualClock(raw)
        #expect(clock.now().epochMilliseconds == 1_795_341_600_123)
        #expect(clock.now() == Date(epochMilliseconds: 1_795_341_600_123))
        clock.advance(by: 0.000_4)
        #expect(clock.now() == Date(epochMilliseconds: 1_795_341_600_123))
        clock.advance(by: 172_800.0011)
        #expect(clock.now() == Date(epochMilliseconds: 1_795_341_600_123 + 172_800_001))
        let now = SystemClock().now()
        #expect(now == now.atMillisecondPrecision)
        #expect(OffsetClock(offset: 0.3333).now() == OffsetClock(offset: 0.3333).now().atMillisecondPrecision)
    }

    /// Deadlines made by the calendar equal the same deadline after a trip through text (the
    /// wire) and through integer milliseconds (the store), whatever the starting fraction.
    @Test func calendarDeadlinesAreExactOnEveryRoute() throws {
        let calendar = try WorkingCalendar()
        var generator = SplitMix64(seed: 42)
        for _ in 0..<5_000 {
            let start = Date(epochMilliseconds: 1_767_225_600_000 + Int64(generator.next() % 31_536_000_000))
            for deadline in [
                calendar.adding(workingDays: 2, to: start), calendar.adding(workingHours: 4, to: start),
                calendar.adding(workingDays: 0.5, to: start),
            ] {
                #expect(deadline == deadline.atMillisecondPrecision)
                #expect(MessageCoding.parseInstant(MessageCoding.formatInstant(deadline)) == deadline)
                #expect(Date(epochMilliseconds: deadline.epochMilliseconds) == deadline)
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) so property tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
