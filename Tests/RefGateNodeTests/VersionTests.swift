import Foundation
import HTTPTypes
import RefGateBuildInfo
import RefGateCore
import RefGateTestSupport
import Testing

@testable import RefGateNode

/// A region runs mixed versions: every answer says which release sent it, a node keeps the
/// release each peer said it runs, and `/metrics` says its own.
@Suite(.serialized, .timeLimit(.minutes(3))) struct VersionTests {
    @Test func peersLearnEachOthersReleaseAndMetricsSayTheirOwn() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("delivered") {
                try await a.store.read { try $0.outboxEntry(messageID: opened.requestMessageID) }?.state == .delivered
            }
            // Learnt from Salford's peer API answer (real mTLS, real libcurl).
            let health = try #require(try await a.engine.queries.deliveryHealth().first)
            #expect(health.peer == TestRegion.salford && health.peerVersion == RefGateVersion.release)
            // And Salford learnt Manchester's from the request itself, before answering it.
            #expect(try await b.store.read { try $0.peerVersion(TestRegion.manchester) } == RefGateVersion.release)
            #expect(MessageFormat.peer(running: RefGateVersion.release, reads: MessageFormat.regionalFields))

            let metrics = try await MetricsTests.get(region, TestRegion.salford, "/metrics")
            #expect(metrics.headerFields[.refgateVersion] == RefGateVersion.release)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(
                text.contains(
                    #"refgate_build_info{version="\#(RefGateVersion.release)",commit="\#(RefGateVersion.commit)"} 1"#),
                "\(text.prefix(2000))")
        }
    }

    @Test func theReleaseAndCommitAreWellFormed() {
        #expect(RefGateVersion.release.wholeMatch(of: /\d+\.\d+\.\d+/) != nil)
        #expect(RefGateVersion.previousRelease.wholeMatch(of: /\d+\.\d+\.\d+/) != nil)
        #expect(RefGateVersion.commit == "unknown" || RefGateVersion.commit.wholeMatch(of: /[0-9a-f]{12}/) != nil)
    }
}
