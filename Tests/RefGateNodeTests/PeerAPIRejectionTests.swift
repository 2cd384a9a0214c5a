import Crypto
import Foundation
import HTTPTypes
import RefGateCore
import RefGateNode
import RefGateTestSupport
import RefGateTransport
import RefGateTrust
import Testing

/// Every check of the peer API, exercised over the real mutual-TLS listener of Salford's node.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PeerAPIRejectionTests {
    struct Posted {
        var status: Int
        var body: Data
        var contentType: String?
        var problem: ProblemDetails? { try? JSONDecoder().decode(ProblemDetails.self, from: body) }
    }

    /// Posts raw bytes to Salford's peer API presenting `identity`'s TLS client certificate.
    static func post(
        _ region: TestRegion, body: Data, as identity: AuthorityID = TestRegion.manchester,
        contentType: String = "application/jose"
    ) async throws -> Posted {
        let client = try region.peerClient(as: identity)
        defer { _ = client }
        let response = try await client.send(
            url: try region.peerURL(TestRegion.salford), body: body, headerFields: [.contentType: contentType])
        await client.shutdown()
        return Posted(status: response.status.code, body: response.body, contentType: response.contentType)
    }

    static func request(
        _ region: TestRegion, from: AuthorityID = TestRegion.manchester, to: AuthorityID = TestRegion.salford,
        sentAt: Date? = nil
    ) -> VerificationRequest {
        let now = sentAt ?? region.clock.now()
        let draft = TestRegion.draft(to: to)
        return VerificationRequest(
            id: UUID().uuidString.lowercased(), caseId: UUID().uuidString.lowercased(), from: from, to: to,
            sentAt: now, respondBy: now.addingTimeInterval(172_800), candidate: draft.candidate, role: draft.role,
            agency: draft.agency, reference: draft.reference, requester: draft.requester!)
    }

    static func expectProblem(
        _ posted: Posted, status: Int, code: RefGateError.Code, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            posted.status == status, "\(String(decoding: posted.body, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(posted.contentType == ProblemDetails.mediaType, sourceLocation: sourceLocation)
        #expect(posted.problem?.type == ProblemDetails.typePrefix + code.rawValue, sourceLocation: sourceLocation)
        #expect(posted.problem?.status == status, sourceLocation: sourceLocation)
    }

    func withSalford(start: Date = Date(), _ body: (TestRegion, Node) async throws -> Void) async throws {
        let region = try TestRegion(start: start)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([b]) { try await body(region, b) }
    }

    @Test func aWellFormedMessageIsReceipted() async throws {
        try await withSalford { region, b in
            let jws = try region.signer(TestRegion.manchester).sign(Self.request(region))
            let posted = try await Self.post(region, body: Data(jws.compact.utf8))
            #expect(posted.status == 200)
            #expect(posted.contentType == "application/jose")
            let receipt = try JWS(compact: String(decoding: posted.body, as: UTF8.self))
            #expect(
                try await b.directory.current.verifySignature(of: receipt, at: region.clock.now()) == TestRegion.salford
            )
        }
    }

    @Test func aClientCertificateNotInTheDirectoryIsRefused() async throws {
        try await withSalford { region, _ in
            let jws = try region.signer(TestRegion.manchester).sign(Self.request(region))
            let posted = try await Self.post(region, body: Data(jws.compact.utf8), as: TestRegion.outsider)
            Self.expectProblem(posted, status: 403, code: .unknownClientCertificate)
        }
    }

    @Test func fromMustBeTheTLSClientsAuthority() async throws {
        try await withSalford { region, _ in
            // Trafford's message, correctly signed by Trafford, but carried by Manchester's TLS identity.
            let jws = try region.signer(TestRegion.trafford).sign(Self.request(region, from: TestRegion.trafford))
            let posted = try await Self.post(region, body: Data(jws.compact.utf8), as: TestRegion.manchester)
            Self.expectProblem(posted, status: 403, code: .senderMismatch)
        }
    }

    @Test func fromMustBeTheSigner() async throws {
        try await withSalford { region, _ in
            // Claims to be from Manchester, over Manchester's TLS, but signed with Trafford's key.
            let jws = try region.signer(TestRegion.trafford).sign(Self.request(region, from: TestRegion.manchester))
            let posted = try await Self.post(region, body: Data(jws.compact.utf8))
            Self.expectProblem(posted, status: 403, code: .senderMismatch)
        }
    }

    @Test func anUnknownKidIsRefused() async throws {
        try await withSalford { region, _ in
            let payload = try MessageCoding.encoder().encode(Self.request(region))
            let jws = try JWS.sign(
                payload: payload,
                header: JWSHeader(kid: Thumbprint.sha256(Data("no such cert".utf8)), typ: JWSHeader.messageType),
                key: P256.Signing.PrivateKey())
            let posted = try await Self.post(region, body: Data(jws.compact.utf8))
            Self.expectProblem(posted, status: 403, code: .unknownSigningKey)
        }
    }

    @Test func aBadSignatureIsRefused() async throws {
        try await withSalford { region, _ in
            let payload = try MessageCoding.encoder().encode(Self.request(region))
            let kid = try region.signer(TestRegion.manchester).kid
            let jws = try JWS.sign(
                payload: payload, header: JWSHeader(kid: kid, typ: JWSHeader.messageType),
                key: P256.Signing.PrivateKey())
            let posted = try await Self.post(region, body: Data(jws.compact.utf8))
            Self.expectProblem(posted, status: 403, code: .badSignature)
        }
    }

    @Test func aMessageForAnotherAuthorityIsMisdirected() async throws {
        try await withSalford { region, _ in
            let jws = try region.signer(TestRegion.manchester).sign(Self.request(region, to: TestRegion.trafford))
            let posted = try await Self.post(region, body: Data(jws.compact.utf8))
            Self.expectProblem(posted, status: 421, code: .wrongRecipient)
        }
    }

    @Test func aPayloadThatBreaksTheSchemaIsRefused() async throws {
        try await withSalford { region, _ in
            var object =
                try JSONSerialization.jsonObject(
                    with: try MessageCoding.encoder().encode(Self.request(region))) as! [String: Any]
            object["candidate"] = nil
            let signer = try region.signer(TestRegion.manchester)
            let jws = try JWS.sign(
                payload: try JSONSerialization.data(withJSONObject: object),
                header: JWSHeader(kid: signer.kid, typ: JWSHeader.messageType),
                key: try CertificateFile.loadPrivateKey(
                    region.identityFolder(TestRegion.manchester) + "/sign.key", what: "key"))
            let posted = try await Self.post(region, body: Data(jws.compact.utf8))
            Self.expectProblem(posted, status: 400, code: .schemaInvalid)
            #expect(posted.problem?.detail.contains("/candidate: is required") == true)
        }
    }

    /// A retry after an outage carries its original bytes, so `sentAt` may be old: accepted
    /// up to the message's expiry (5 working days) plus a margin. Replay is refused by id. The
    /// clock stands on a Wednesday morning: six days back is then the Thursday before, five
    /// working days before the coming Thursday (from a Saturday evening, six days back is a
    /// Sunday whose five working days ended the evening before).
    @Test(arguments: [-330.0, -3 * 86_400.0, -6 * 86_400.0])
    func aLateMessageWithinItsExpiryIsAccepted(offset: TimeInterval) async throws {
        try await withSalford(start: Self.lastWednesdayMorning()) { region, _ in
            let jws = try region.signer(TestRegion.manchester).sign(
                Self.request(region, sentAt: region.clock.now().addingTimeInterval(offset)))
            let posted = try await Self.post(region, body: Data(jws.compact.utf8))
            #expect(posted.status == 200, "\(String(describing: posted.problem))")
            #expect(posted.contentType == PeerAPI.joseMediaType)
        }
    }

    /// The latest Wednesday 10:00 UTC before now (the region's certificates are issued then,
    /// within their validity for the real clock that TLS reads).
    static func lastWednesdayMorning(before now: Date = Date()) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = calendar.startOfDay(for: now)
        while true {
            let morning = day.addingTimeInterval(10 * 3_600)
            if calendar.component(.weekday, from: day) == 4, morning < now { return morning }
            day = calendar.date(byAdding: .day, value: -1, to: day)!
        }
    }

    /// More than the skew ahead, or older than any message's expiry, is still `clock-skew`.
    @Test(arguments: [301.0, -20 * 86_400.0])
    func sentAtTooFarAheadOrPastItsExpiryIsRefused(offset: TimeInterval) async throws {
        try await withSalford { region, _ in
            let jws = try region.signer(TestRegion.manchester).sign(
                Self.request(region, sentAt: region.clock.now().addingTimeInterval(offset)))
            let posted = try await Self.post(region, body: Data(jws.compact.utf8))
            Self.expectProblem(posted, status: 400, code: .clockSkew)
        }
    }

    @Test func aBodyOverTheCapIsRefused() async throws {
        try await withSalford { region, _ in
            let posted = try await Self.post(region, body: Data(repeating: UInt8(ascii: "a"), count: 70_000))
            Self.expectProblem(posted, status: 413, code: .messageTooLarge)
        }
    }

    @Test func garbageAndWrongMediaTypesAreRefused() async throws {
        try await withSalford { region, _ in
            Self.expectProblem(
                try await Self.post(region, body: Data("not a jws".utf8)), status: 400, code: .malformedMessage)
            let jws = try region.signer(TestRegion.manchester).sign(Self.request(region))
            Self.expectProblem(
                try await Self.post(region, body: Data(jws.compact.utf8), contentType: "application/json"),
                status: 415, code: .unsupportedMediaType)
        }
    }

    @Test func aResendGetsTheSameReceiptAndChangesNothing() async throws {
        try await withSalford { region, b in
            let request = Self.request(region)
            let jws = try region.signer(TestRegion.manchester).sign(request)
            let first = try await Self.post(region, body: Data(jws.compact.utf8))
            region.clock.advance(by: 3600)  // a resend hours later is still recognised, not a skew error
            let second = try await Self.post(region, body: Data(jws.compact.utf8))
            #expect(first.status == 200 && second.status == 200)
            #expect(first.body == second.body)
            #expect(try await b.store.read { try $0.messages(caseID: request.caseId) }.count == 1)
            // The same id with different content is a conflict.
            var altered = request
            altered.sentAt = region.clock.now()
            altered.agency.name = "Other Agency"
            let conflicting = try region.signer(TestRegion.manchester).sign(altered)
            Self.expectProblem(
                try await Self.post(region, body: Data(conflicting.compact.utf8)), status: 409, code: .messageIDConflict
            )
        }
    }

    /// Para 5 on both sides: the responding node refuses to send, the receiving node rejects.
    @Test func aTeamManagerReferenceNeedsAServiceManager() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft(role: .teamManager))
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            var junior = TestRegion.verifiedBySeniorManager
            junior.responder?.role = .teamManager
            let refused = await #expect(throws: RefGateError.self) {
                try await b.engine.commands.respond(caseID: opened.id, junior)
            }
            #expect(refused?.code == .responderNotSeniorEnough)
            #expect(try await b.store.read { try $0.case(opened.id) }?.status == .awaitingResponse)

            // A node that sent it anyway is refused by the commissioning authority.
            let request = try #require(try await a.engine.queries.detail(caseID: opened.id).request)
            let response = VerificationResponse(
                id: UUID().uuidString.lowercased(), caseId: opened.id, from: TestRegion.salford,
                to: TestRegion.manchester,
                sentAt: region.clock.now(), inReplyTo: request.id, outcome: .verified, findings: junior.findings,
                responder: try #require(junior.responder))
            let jws = try region.signer(TestRegion.salford).sign(response)
            let client = try region.peerClient(as: TestRegion.salford)
            let posted = try await client.send(
                url: try region.peerURL(TestRegion.manchester), body: Data(jws.compact.utf8),
                headerFields: [.contentType: "application/jose"])
            await client.shutdown()
            #expect(posted.status == 422)
            let problem = try JSONDecoder().decode(ProblemDetails.self, from: posted.body)
            #expect(problem.type == ProblemDetails.typePrefix + "responder-not-senior-enough")
            #expect(try await a.store.read { try $0.case(opened.id) }?.status == .awaitingResponse)
        }
    }

    @Test func anUnknownRouteIsAProblemDocument() async throws {
        try await withSalford { region, _ in
            let client = try region.peerClient(as: TestRegion.manchester)
            let response = try await client.send(url: try region.peerURL(TestRegion.salford) + "/nope")
            await client.shutdown()
            #expect(response.status == 404)
            #expect(response.contentType == ProblemDetails.mediaType)
        }
    }

    /// The curl CLI as an independent client: no client certificate, or one from another CA,
    /// never reaches the API; the region's certificate does.
    @Test func curlWithoutARegionalClientCertificateIsRefused() async throws {
        try await withSalford { region, _ in
            let url = try region.peerURL(TestRegion.salford)
            let ca = region.folder.file("ca/ca.pem")
            let none = try await ExternalTool.runOffPool([
                "curl", "-sS", "--cacert", ca, "-H", "Content-Type: application/jose", "--data-binary", "x", url,
            ])
            #expect(none.status == 56 || none.status == 35, "\(none.combined)")
            let foreign = region.folder.file("foreign")
            let impostor = try await ExternalTool.runOffPool([
                "curl", "-sS", "--cacert", ca, "--cert", "\(foreign)/auth.pem", "--key", "\(foreign)/auth.key",
                "-H", "Content-Type: application/jose", "--data-binary", "x", url,
            ])
            #expect(impostor.status == 56 || impostor.status == 35, "\(impostor.combined)")
            for version in ["--tls-max 1.1", "--tlsv1.1 --tls-max 1.1"] {
                let old = try await ExternalTool.runOffPool(
                    ["curl", "-sS", "--cacert", ca] + version.split(separator: " ").map(String.init) + [url])
                #expect(old.status != 0, "TLS below 1.2 must be refused: \(old.combined)")
            }
            let member = region.identityFolder(TestRegion.manchester)
            let accepted = try await ExternalTool.runOffPool([
                "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, "--cert", "\(member)/auth.pem",
                "--key", "\(member)/auth.key", "-H", "Content-Type: application/jose", "--data-binary", "x", url,
            ])
            #expect(accepted.output == "400", "\(accepted.combined)")
        }
    }

    /// The TLS 1.2 suites the peer listener accepts: forward-secret AEAD only (Mozilla
    /// "intermediate"); CBC suites are refused. Checked with the curl CLI and the region's
    /// client certificate, so only the cipher differs.
    @Test func onlyAEADSuitesUnderTLS12() async throws {
        try await withSalford { region, _ in
            let url = try region.peerURL(TestRegion.salford)
            let member = region.identityFolder(TestRegion.manchester)
            // Off the task threads: curl waits on the node, whose server needs them.
            func attempt(_ cipher: String) async throws -> ExternalTool.Result {
                try await ExternalTool.runOffPool([
                    "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--tlsv1.2", "--tls-max", "1.2",
                    "--ciphers", cipher, "--cacert", region.folder.file("ca/ca.pem"), "--cert", "\(member)/auth.pem",
                    "--key", "\(member)/auth.key", "-H", "Content-Type: application/jose", "--data-binary", "x", url,
                ])
            }
            for cipher in [
                "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
            ] {
                let result = try await attempt(cipher)
                #expect(result.output == "400", "\(cipher) must be accepted: \(result.combined)")
            }
            for cipher in ["ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-AES128-SHA256"] {
                let result = try await attempt(cipher)
                #expect(result.status != 0, "\(cipher) must be refused: \(result.combined)")
            }
        }
    }

    /// A connection that says nothing, or stalls in the TLS handshake, is closed after the idle
    /// timeout (1 s here) instead of holding a slot for ever.
    @Test func silentAndStalledConnectionsAreClosed() async throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.salford)
        configuration.limits = .init(idleTimeoutSeconds: 1, maxConnections: 8)
        let b = try await region.makeNode(configuration: configuration)
        try await withRunning([b]) {
            let port = configuration.peerListener.port
            // Python as the misbehaving client: connect, send nothing (or the first bytes of a
            // ClientHello), then wait at most 15 s for the server to close.
            let script = """
                import socket, sys, time
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=15)
                if sys.argv[2] == "stall": s.sendall(bytes([0x16, 0x03, 0x01, 0x02, 0x00]))
                start = time.time()
                try:
                    data = s.recv(1024)
                    print("closed" if not data else "data", round(time.time() - start, 1))
                except (socket.timeout, TimeoutError):
                    print("open", round(time.time() - start, 1))
                except ConnectionResetError:
                    print("closed", round(time.time() - start, 1))
                """
            for mode in ["silent", "stall"] {
                let run = try await ExternalTool.runOffPool(["python3", "-c", script, "\(port)", mode])
                #expect(run.output.hasPrefix("closed"), "\(mode): \(run.combined)")
            }
        }
    }
}
