import Foundation
import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct AuditEntryTests {
    /// What the entry's bytes were before the direct writer: they must not change, since
    /// entries are hashed as written and other tools re-encode them.
    func encoderBytes(_ entry: AuditEntry) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(entry)
    }

    @Test func theDirectWriterMatchesJSONEncoderByteForByte() throws {
        var awkward = ""
        for scalar in 0..<0x80 { awkward.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        awkward += "é€😀\u{2028}\u{2029}\u{85}/"
        let events = [
            AuditEvent(.requestSent),
            AuditEvent(
                .escalationRaised, caseID: "c-1", subject: awkward,
                actor: AuditActor(name: "Ann \"Q\" O'Neil", role: "Head\\of\nService", user: "u-1"),
                detail: ["to": "E08000006", "b": awkward, "B": "", "_x": "1", "é": "2", "aa": "3", "a": "4"]),
            AuditEvent(.receiptRecorded, caseID: nil, subject: "m", actor: AuditActor(name: "", role: "")),
        ]
        for (index, event) in events.enumerated() {
            for seq in [0, 7, 1_234_567] {
                let entry = AuditEntry(
                    seq: seq, prev: index == 0 ? "" : String(repeating: "ab", count: 32),
                    at: Date(timeIntervalSince1970: 1_790_000_000.25), event: event)
                #expect(try entry.encoded() == (try encoderBytes(entry)))
                #expect(try AuditEntry.decode(try entry.encoded()) == entry)
            }
        }
    }
}
