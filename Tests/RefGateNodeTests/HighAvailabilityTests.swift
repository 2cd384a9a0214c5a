import Foundation
import RefGateCore
import RefGateStore
import RefGateTestSupport
import Testing

@testable import RefGateNode

/// Two instances of one authority on one PostgreSQL database, both active: each serves its
/// own listeners and sends from the shared outbox; every message leaves once, the periodic
/// work runs on one leader, and the audit log stays one chain.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HighAvailabilityTests {
    @Test func twoInstancesShareOneDatabaseSendEachMessageOnceAndKeepOneChain() async throws {
        let region = try TestRegion(engine: .postgres)
        let first = try await region.makeNode(TestRegion.manchester)
        var other = try region.configuration(TestRegion.manchester)
        other.peerListener.port = FreePort.next()
        other.localListener.port = FreePort.next()
        let second = try await region.makeNode(configuration: other)
        let salford = try await region.makeNode(TestRegion.salford)
        let count = 40
        let opened = try await withRunning([first, second, salford]) {
            // Requests opened on both instances at once: each goes through the shared outbox.
            let opened = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<count {
                    let node = index % 2 == 0 ? first : second
                    group.addTask { try await node.engine.commands.sendRequest(TestRegion.draft()).requestMessageID }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            try await eventually("every request receipted", advancing: region.clock) {
                try await first.store.read { reader in
                    try opened.allSatisfy { try reader.receipt(messageID: $0) != nil }
                }
            }
            return opened
        }
        // Salford holds each request once, received once.
        let received = try await salford.store.read { reader in try opened.compactMap { try reader.message($0) } }
        #expect(received.count == count)
        // Each message was claimed and sent by one instance: one attempt each, no duplicates.
        let attempts = try await first.store.read { reader in
            try opened.map { try reader.outboxEntry(messageID: $0)?.attempts ?? -1 }
        }
        #expect(attempts.allSatisfy { $0 == 1 }, "attempts per message: \(attempts)")
        // Exactly one of the two leads the periodic work while both run on one database.
        let leaders = [await first.store.holdsLeadership(), await second.store.holdsLeadership()]
        #expect(leaders.filter { $0 }.count == 1, "leaders: \(leaders)")
        // Both instances appended to one log, and it verifies.
        let report = try await AuditTests.verify(first)
        #expect(report.verified, "\(String(describing: report.failure))")
        #expect(report.entries >= count * 3)
    }

    /// A deliverer on a shared store claims only what its loop has room to start: a claimed
    /// message the loop dropped would wait out its lease (60 s) before anyone sent it.
    @Test func aDelivererClaimsNoMoreThanItHasRoomFor() async throws {
        let region = try TestRegion(engine: .postgres)
        let node = try await region.makeNode(TestRegion.manchester)
        for _ in 0..<12 { _ = try await node.engine.commands.sendRequest(TestRegion.draft()) }
        let deliverer = try #require(node.services.compactMap { $0 as? OutboxDeliverer }.first)
        let now = region.clock.now()
        // Three in flight (claimed earlier), room for five more.
        let inFlight = try await deliverer.due(now: now, room: 3, inFlight: 0)
        #expect(inFlight.count == 3)
        let started = try await deliverer.due(now: now, room: 5, inFlight: 3)
        #expect(started.count == 5)
        #expect(Set(started.map(\.messageID)).isDisjoint(with: inFlight.map(\.messageID)))
        // The other four are still free for whichever instance asks next.
        let rest = try await deliverer.due(now: now, room: 100, inFlight: 8)
        #expect(rest.count == 4)
        node.store.closeConnections()
    }

    /// When the leader's store goes, the other instance takes the periodic work at its next ask.
    @Test func anotherInstanceTakesOverTheLeadWhenTheLeaderGoes() async throws {
        let folder = try TemporaryFolder()
        let location = try TestEngine.postgres.location(in: folder)
        let first = try Store(location)
        let second = try Store(location)
        #expect(await first.holdsLeadership())
        #expect(await second.holdsLeadership() == false)
        first.closeConnections()
        #expect(await second.holdsLeadership())
        second.closeConnections()
    }
}
