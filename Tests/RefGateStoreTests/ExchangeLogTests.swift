import Foundation
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateStore

/// What a peer asks for after a restore, page by page: its own exchange with this node only,
/// each message once even when many share one millisecond.
@Suite(.timeLimit(.minutes(1))) struct ExchangeLogTests {
    @Test(arguments: TestEngine.allCases) func pagesByTimeAndIdNeverSkipOrRepeat(engine: TestEngine) async throws {
        let folder = try TemporaryFolder()
        let store = try engine.store(in: folder)
        let me = AuthorityID(rawValue: "E08000003")!
        let peer = AuthorityID(rawValue: "E08000006")!
        let other = AuthorityID(rawValue: "E08000001")!
        let instant = Date(epochMilliseconds: 1_795_000_000_000)
        try await store.write { tx in
            for index in 0..<7 {
                // Seven in the same millisecond, in and out, and one with another authority.
                let outgoing = index.isMultiple(of: 2)
                try tx.insert(
                    MessageRecord(
                        id: "m\(index)", caseID: nil, direction: outgoing ? .outgoing : .incoming,
                        kind: .verificationRequest, from: outgoing ? me : peer, to: outgoing ? peer : me,
                        sentAt: instant, recordedAt: instant, jws: "a.b.c", digest: "d\(index)"))
            }
            try tx.insert(
                MessageRecord(
                    id: "x", caseID: nil, direction: .outgoing, kind: .verificationRequest, from: me, to: other,
                    sentAt: instant, recordedAt: instant, jws: "a.b.c", digest: "dx"))
        }
        var seen: [String] = []
        var cursor: (Date, String?) = (instant, nil)
        for _ in 0..<10 {
            let page = try await store.read { [cursor] in
                try $0.exchanged(with: peer, me: me, since: cursor.0, after: cursor.1, limit: 3)
            }
            guard let last = page.last else { break }
            seen += page.map(\.message.id)
            cursor = (last.message.recordedAt, last.message.id)
        }
        #expect(seen == (0..<7).map { "m\($0)" })
        let later = try await store.read {
            try $0.exchanged(with: peer, me: me, since: instant.addingTimeInterval(1), limit: 10)
        }
        #expect(later.isEmpty)
    }
}
