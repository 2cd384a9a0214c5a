import Foundation
import HTTPTypes
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTransport
import Testing

/// `/metrics` (Prometheus text) and `/readyz` on a running node.
@Suite(.serialized, .timeLimit(.minutes(5))) struct MetricsTests {
    static func get(_ region: TestRegion, _ id: AuthorityID, _ path: String) async throws -> ClientResponse {
        let client = try CurlHTTPClient(configuration: .init(tls: nil))
        defer { Task { await client.shutdown() } }
        let url = try region.adminURL(id).replacingOccurrences(of: "/api/v1", with: "") + path
        return try await client.send(url: url)
    }

    @Test func metricsCountDeliveriesRejectionsAndWhatIsOutstanding() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("delivered") {
                try await a.store.read { try $0.outboxEntry(messageID: opened.requestMessageID) }?.state == .delivered
            }
            let raised = try await a.engine.commands.raiseEscalation(
                caseID: opened.id, reason: .seriousConcern, raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"),
                note: nil)
            try await eventually("the notice is delivered") {
                try await a.store.read { try $0.outboxEntry(messageID: raised.noticeMessageID) }?.state == .delivered
            }
            // Junk from a member: refused, and counted by problem type.
            let peer = try region.peerClient(as: TestRegion.manchester)
            let junk = try await peer.send(
                url: try region.peerURL(TestRegion.salford), body: Data("not a jws".utf8),
                headerFields: [.contentType: PeerAPI.joseMediaType])
            await peer.shutdown()
            #expect(junk.status.code == 400)

            let mine = String(
                decoding: try await Self.get(region, TestRegion.manchester, "/metrics").body, as: UTF8.self)
            for line in [
                #"refgate_deliveries_total{peer="E08000006",result="receipted"} 2"#,
                #"refgate_outstanding{direction="sent",rag="green"} 1.0"#,
                #"refgate_outstanding{direction="received",rag="red"} 0.0"#,
                #"refgate_escalations_open{level="2",reason="serious-concern"} 1.0"#,
                "refgate_delivery_latency_seconds_count 2",
            ] {
                #expect(mine.contains(line), "\(line)\n\(mine)")
            }
            #expect(mine.contains("refgate_directory_expiry_days "))
            #expect(mine.contains(#"refgate_certificate_expiry_days{certificate="sign"} "#))
            let theirs = String(
                decoding: try await Self.get(region, TestRegion.salford, "/metrics").body, as: UTF8.self)
            #expect(theirs.contains(#"refgate_inbound_rejections_total{type="malformed-message"} 1"#), "\(theirs)")
            #expect(theirs.contains(#"refgate_outstanding{direction="received",rag="green"} 1.0"#), "\(theirs)")

            let ready = try await Self.get(region, TestRegion.manchester, "/readyz")
            #expect(ready.status.code == 200)
            let readiness = try JSONDecoder().decode(Readiness.self, from: ready.body)
            #expect(readiness.ready && readiness.checks["store"] == "ok" && readiness.checks["signCertificate"] == "ok")

            // Past the directory's expiry the node is not ready, and says why.
            region.clock.advance(by: 31 * 86_400)
            let expired = try await Self.get(region, TestRegion.manchester, "/readyz")
            #expect(expired.status.code == 503)
            let why = try JSONDecoder().decode(Readiness.self, from: expired.body)
            #expect(!why.ready && why.checks["directory"]?.contains("expired") == true, "\(why)")
        }
    }
}
