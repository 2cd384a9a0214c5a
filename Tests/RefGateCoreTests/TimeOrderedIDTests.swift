import Foundation
import Testing

@testable import RefGateCore

@Suite(.timeLimit(.minutes(2))) struct TimeOrderedIDTests {
    @Test func idsAreVersion7UUIDsThatSortByTime() throws {
        let early = Date(timeIntervalSince1970: 1_790_000_000)
        let ids = (0..<1_000).map { TimeOrderedID.make(at: early.addingTimeInterval(Double($0) / 100)) }
        let uuid = try Regex("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        for id in ids {
            #expect(id.wholeMatch(of: uuid) != nil, "\(id)")
            #expect(UUID(uuidString: id) != nil)
        }
        // The first 48 bits are the milliseconds, so later ids sort after earlier ones.
        #expect(ids.first!.hasPrefix(String(format: "%08x", 1_790_000_000_000 >> 16)))
        for (earlier, later) in zip(ids, ids.dropFirst()) { #expect(earlier < later) }
        #expect(Set((0..<10_000).map { _ in TimeOrderedID.make(at: early) }).count == 10_000)
    }
}
