import Crypto
import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import RefGateTrust
import Testing

/// Operators hear about the directory before it bites: expiring, expired, members left out;
/// each once per directory version.
@Suite(.serialized, .timeLimit(.minutes(2))) struct DirectoryWatchTests {
    static func node(_ region: TestRegion) async throws -> Node {
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.people = .init(operators: [.init(name: "Ops", email: "ops@manchester.example")])
        configuration.directoryWarningDays = 7
        // Mail is planned into the notification outbox; no service runs here to send it.
        configuration.notifications = .init(
            smtp: .init(host: "127.0.0.1", port: 2525, security: .plain, from: "refgate@manchester.example"))
        return try await region.makeNode(configuration: configuration)
    }

    static func events(_ node: Node) async throws -> [String] {
        try await node.store.read { try $0.notifications() }.map(\.event).sorted()
    }

    @Test func operatorsAreWarnedBeforeTheDirectoryExpiresAndToldWhenItHas() async throws {
        let region = try TestRegion(directoryValidity: 20 * 86_400)
        let a = try await Self.node(region)
        try await a.directoryWatch.check()
        #expect(try await Self.events(a).isEmpty, "20 days left, warning at 7")
        region.clock.advance(by: 14 * 86_400)
        try await a.directoryWatch.check()
        try await a.directoryWatch.check()
        #expect(try await Self.events(a) == ["directory-expiring"], "once, however often it looks")
        region.clock.advance(by: 7 * 86_400)
        try await a.directoryWatch.check()
        #expect(try await Self.events(a) == ["directory-expired", "directory-expiring"])
        let expired = try #require(
            try await a.store.read { try $0.notifications() }.first { $0.event == "directory-expired" })
        #expect(expired.target == "ops@manchester.example")
        #expect(expired.body.contains("refgate directory install"))
    }

    @Test func aMemberWithABadCertificateIsReportedOnce() async throws {
        let region = try TestRegion()
        let (ca, current) = try await region.currentDirectory()
        var next = current.directory
        next.version = 2
        let foreign = try RegionalCA.create(region: "Elsewhere", now: region.clock.now())
        let index = try #require(next.authorities.firstIndex { $0.id == TestRegion.trafford })
        next.authorities[index].authCertificate = try CertificateFile.pem(
            try foreign.issue(
                .auth, authority: TestRegion.trafford, name: "Trafford", host: "127.0.0.1",
                publicKey: P256.Signing.PrivateKey().publicKey, now: region.clock.now()))
        let a = try await Self.node(region)
        let installed = try await a.directory.install(compact: try next.signed(by: ca).compact, now: region.clock.now())
        try await a.store.write { tx in
            try tx.insertDirectory(version: 2, digest: installed.jws.digest, at: region.clock.now())
        }
        #expect(installed.excluded[TestRegion.trafford] != nil)
        #expect(installed.member(TestRegion.salford) != nil)
        try await a.directoryWatch.check()
        try await a.directoryWatch.check()
        #expect(try await Self.events(a) == ["directory-members-excluded"])
        let report = try #require(try await a.store.read { try $0.notifications() }.first)
        #expect(report.body.contains("E08000009"))
    }
}
