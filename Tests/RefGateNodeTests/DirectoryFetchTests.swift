import Foundation
import RefGateCore
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import RefGateTrust
import Testing

@testable import RefGateNode

/// Directory distribution: a node fetches the signed directory from where it is published (here
/// a peer's `/peer/v1/directory`, over mutual TLS), installs a newer valid version on its own,
/// looks at once when a peer says it holds a newer one, and tells operators once when no source
/// has answered for too long.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DirectoryFetchTests {
    @Test func aNodeFetchesANewerDirectoryAsSoonAsAPeerSaysItHoldsOne() async throws {
        let region = try TestRegion()
        let (ca, current) = try await region.currentDirectory()
        var next = current.directory
        next.version = 2
        let v2 = try next.signed(by: ca).compact
        let salford = try #require(current.directory.authorities.first { $0.id == TestRegion.salford })
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.directorySources = [
            DirectorySource(
                url: salford.endpoint + "/peer/v1/directory", caCertificate: region.folder.file("ca/ca.pem"))
        ]
        configuration.directoryPollMinutes = 600  // only the start and the peer's hint make it look
        let a = try await region.makeNode(configuration: configuration)
        let b = try await region.makeNode(TestRegion.salford)
        let fetcher = try #require(a.directoryFetcher)
        try await withRunning([a, b]) {
            #expect(try await fetcher.poll() == nil, "both hold version 1: nothing to install")
            let installed = try await AdminAPITests.call(
                region, TestRegion.salford, "/directory", body: Data(v2.utf8),
                token: try region.adminToken(TestRegion.salford))
            #expect(installed.status == 200)
            // Manchester's next exchange with Salford carries Salford's version in the answer.
            _ = try await a.engine.commands.sendRequest(TestRegion.draft())
            // The installer puts the version in force, then writes the file, then records it in
            // the store (so a crash between them never leaves the store ahead of the file).
            try await eventually("Manchester fetched, installed and recorded version 2") {
                let held = await a.directory.current.directory.version
                let recorded = try await a.store.read { try $0.highestDirectoryVersion() }
                return held == 2 && recorded == 2
            }
            let file = try String(contentsOfFile: configuration.directory, encoding: .utf8)
            #expect(file.trimmingCharacters(in: .whitespacesAndNewlines) == v2)
            #expect(try await a.store.read { try $0.highestDirectoryVersion() } == 2)
        }
    }

    @Test func operatorsAreToldOnceWhenNoSourceAnswersForLong() async throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.directorySources = [DirectorySource(url: "https://127.0.0.1:1/directory.jws")]
        configuration.directoryFetchAlertHours = 1
        configuration.people = .init(operators: [.init(name: "Ops", email: "ops@manchester.example")])
        // Mail is planned into the notification outbox; no service runs here to send it.
        configuration.notifications = .init(
            smtp: .init(host: "127.0.0.1", port: 2525, security: .plain, from: "refgate@manchester.example"))
        let a = try await region.makeNode(configuration: configuration)
        let fetcher = try #require(a.directoryFetcher)
        func alerts() async throws -> Int {
            try await a.store.read { try $0.notifications() }.filter { $0.event == "directory-unfetchable" }.count
        }
        await #expect(throws: RefGateError.self) { try await fetcher.poll() }
        #expect(try await alerts() == 0, "not yet: an hour has not passed")
        region.clock.advance(by: 3601)
        await #expect(throws: RefGateError.self) { try await fetcher.poll() }
        #expect(try await alerts() == 1)
        await #expect(throws: RefGateError.self) { try await fetcher.poll() }
        #expect(try await alerts() == 1, "once per outage")
    }
}
