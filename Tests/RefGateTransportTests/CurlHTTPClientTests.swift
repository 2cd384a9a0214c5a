import CCurl
import Foundation
import HTTPTypes
import RefGateTestSupport
import Testing

@testable import RefGateTransport

/// The libcurl client against a real HTTPS peer (Python's ssl), over real sockets.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CurlHTTPClientTests {
    @Test func mutualTLSExchangeAndConnectionReuse() async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer()
        defer { peer.stop() }
        let client = try fixture.client()
        let first = try await client.sendExpectingSuccess(
            url: base + "/echo", body: Data("hello".utf8), headerFields: [.contentType: "text/plain"])
        #expect(first.status == 200)
        #expect(String(decoding: first.body, as: UTF8.self) == "hello")
        #expect(first.contentType == "text/plain")
        #expect(first.newConnections == 1)
        let second = try await client.send(url: base + "/whoami")
        #expect(second.newConnections == 0, "the second request must reuse the kept-alive connection")
        #expect(
            String(decoding: second.body, as: UTF8.self).contains("E08000003"), "the peer saw our client certificate")
        await client.shutdown()
    }

    /// A kept-alive connection the peer closes just as it is reused (a server's idle timeout
    /// meeting the next request): libcurl rewinds the body and sends it again on a new connection,
    /// so the caller sees the answer, not a failure that would mark the peer unavailable.
    @Test func aReusedConnectionClosedUnderTheRequestIsRetriedOnANewOne() async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer()
        defer { peer.stop() }
        let client = try fixture.client()
        let armed = try await client.sendExpectingSuccess(url: base + "/arm-drop", body: Data("arm".utf8))
        #expect(armed.newConnections == 1)
        let again = try await client.sendExpectingSuccess(
            url: base + "/echo", body: Data("the body, sent twice".utf8), headerFields: [.contentType: "text/plain"])
        #expect(String(decoding: again.body, as: UTF8.self) == "the body, sent twice")
        #expect(again.newConnections == 1, "the dropped connection is replaced")
        await client.shutdown()
    }

    @Test func manyRequestsInFlightOnOneDriver() async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer()
        defer { peer.stop() }
        let client = try fixture.client()
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let response = try await client.sendExpectingSuccess(
                        url: base + "/echo", body: Data("\(index)".utf8))
                    return String(decoding: response.body, as: UTF8.self)
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(bodies == Set((0..<40).map(String.init)))
        await client.shutdown()
    }

    @Test func nonSuccessStatusIsTypedWithItsBody() async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer()
        defer { peer.stop() }
        let client = try fixture.client()
        let error = await #expect(throws: TransportError.self) {
            try await client.sendExpectingSuccess(url: base + "/status?code=422")
        }
        #expect(error?.code == .httpStatus)
        #expect(error?.status == 422)
        #expect(error?.body.map { String(decoding: $0, as: UTF8.self) }?.contains("urn:test:problem") == true)
        let unavailable = await #expect(throws: TransportError.self) {
            try await client.sendExpectingSuccess(url: base + "/status?code=503")
        }
        #expect(unavailable?.code == .httpStatus && unavailable?.status == 503)
        await client.shutdown()
    }

    @Test(arguments: [false, true])
    func responsesOverTheCapAreRefused(chunked: Bool) async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer()
        defer { peer.stop() }
        let client = try fixture.client(maxResponseBytes: 100_000)
        let fits = try await client.send(url: base + "/big?n=100000&chunked=\(chunked ? 1 : 0)")
        #expect(fits.body.count == 100_000)
        let error = await #expect(throws: TransportError.self) {
            try await client.send(url: base + "/big?n=2000000&chunked=\(chunked ? 1 : 0)")
        }
        #expect(error?.code == .responseTooLarge)
        await client.shutdown()
    }

    @Test func aSilentPeerTimesOut() async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer()
        defer { peer.stop() }
        let client = try fixture.client(totalTimeout: .milliseconds(500))
        let error = await #expect(throws: TransportError.self) { try await client.send(url: base + "/slow?seconds=5") }
        #expect(error?.code == .timeout)
        await client.shutdown()
    }

    @Test func nothingListeningIsConnectRefused() async throws {
        let fixture = try TransportFixture()
        let client = try fixture.client()
        // Port 1 on loopback: nothing listens there and an unprivileged process cannot bind it.
        let error = await #expect(throws: TransportError.self) { try await client.send(url: "https://127.0.0.1:1/") }
        #expect(error?.code == .connectRefused)
        await client.shutdown()
    }

    /// A peer that refuses our client certificate: under TLS 1.2 the handshake fails (curl 35);
    /// under TLS 1.3 the refusal comes after it, on first read (56) or, if the request was
    /// written first, on send (55).
    @Test(arguments: ["1.3", "1.2"])
    func aClientCertificateFromAnotherCAIsTLSRejected(maxTLS: String) async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer(maxTLS: maxTLS)
        defer { peer.stop() }
        let client = try fixture.client(identity: "foreign-client")
        let error = await #expect(throws: TransportError.self) { try await client.send(url: base + "/whoami") }
        #expect(error?.code == .tlsRejected, "\(String(describing: error)) curl \(String(describing: error?.curlCode))")
        #expect(maxTLS == "1.3" ? [55, 56].contains(error?.curlCode) : error?.curlCode == 35)
        await client.shutdown()
    }

    @Test func aServerOutsideTheRegionIsUntrusted() async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer(server: "foreign-server", requireClientCert: false)
        defer { peer.stop() }
        let client = try fixture.client()
        let error = await #expect(throws: TransportError.self) { try await client.send(url: base + "/whoami") }
        #expect(error?.code == .tlsPeerUntrusted)
        await client.shutdown()
    }

    @Test func theHostNameMustMatchTheCertificate() async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer()
        defer { peer.stop() }
        let client = try fixture.client()
        // The certificate names 127.0.0.1; "localhost" reaches the same socket but must not verify.
        let error = await #expect(throws: TransportError.self) {
            try await client.send(url: base.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/whoami")
        }
        #expect(error?.code == .tlsPeerUntrusted)
        await client.shutdown()
    }

    @Test func plainHTTPIsRefusedWhenTLSIsConfigured() async throws {
        let fixture = try TransportFixture()
        let client = try fixture.client()
        await #expect(throws: TransportError.self) { try await client.send(url: "http://127.0.0.1:1/") }
        await client.shutdown()
    }

    @Test func cancellingATaskCancelsItsTransfer() async throws {
        let fixture = try TransportFixture()
        let (peer, base) = try await fixture.startPeer()
        defer { peer.stop() }
        let client = try fixture.client(totalTimeout: .seconds(30))
        let task = Task { try await client.send(url: base + "/slow?seconds=20") }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        await client.shutdown()
    }

    @Test func shutdownFailsLaterRequests() async throws {
        let fixture = try TransportFixture()
        let client = try fixture.client()
        await client.shutdown()
        await client.shutdown()
        let error = await #expect(throws: TransportError.self) { try await client.send(url: "https://127.0.0.1:1/") }
        #expect(error?.code == .shutdown)
    }

    @Test func failuresAreClassified() {
        let table: [(CURLcode, Bool, TransportError.Code)] = [
            (CURLE_COULDNT_CONNECT, false, .connectRefused),
            (CURLE_OPERATION_TIMEDOUT, false, .timeout),
            (CURLE_SSL_CONNECT_ERROR, false, .tlsRejected),
            (CURLE_PEER_FAILED_VERIFICATION, false, .tlsPeerUntrusted),
            (CURLE_RECV_ERROR, true, .tlsRejected),
            (CURLE_SEND_ERROR, true, .tlsRejected),
            (CURLE_RECV_ERROR, false, .other),  // a kept-alive connection that dropped
            (CURLE_SSL_CERTPROBLEM, false, .localCredentials),
            (CURLE_FILESIZE_EXCEEDED, false, .responseTooLarge),
            (CURLE_LOGIN_DENIED, false, .loginDenied),
        ]
        for (code, fresh, expected) in table {
            let error = CurlMultiDriver.classify(
                code: code, message: "", exceededCap: false, firstExchangeOnNewTLSConnection: fresh)
            #expect(error.code == expected, "curl \(code.rawValue)")
        }
    }
}
