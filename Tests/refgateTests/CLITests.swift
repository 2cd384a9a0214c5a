import Foundation
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTestSupport
import RefGateTrust
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `refgate` binary as people use it: real processes, real files, real signals.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CLITests {
    /// The built `refgate` executable, next to the test bundle.
    static var binary: String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("refgate").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("refgate").path
    }

    static func refgate(_ arguments: String...) throws -> ExternalTool.Result {
        try ExternalTool.run([binary] + arguments)
    }

    /// `refgate request send` from Manchester to Salford for Alex Morgan.
    static func sendRequest(config: String, idempotencyKey: String? = nil) throws -> ExternalTool.Result {
        try ExternalTool.run(
            [
                binary, "request", "send", "--config", config, "--to", "E08000006", "--candidate-name", "Alex Morgan",
                "--registration", "SW104522", "--role", "team-manager", "--agency", "Northern Social Care Ltd",
                "--referee-name", "Priya Shah", "--referee-role", "Service Manager", "--team",
                "Children in Need East", "--placement-start", "2025-03-03", "--placement-end", "2026-08-28",
                "--date-given", "2026-09-15", "--requester-name", "Jordan Ellis", "--requester-role",
                "Recruitment Officer", "--requester-email", "jordan.ellis@manchester.example",
            ] + (idempotencyKey.map { ["--idempotency-key", $0] } ?? []))
    }

    static func expectUserError(
        _ result: ExternalTool.Result, mentions: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.error.contains(mentions), "\(result.combined)", sourceLocation: sourceLocation)
        #expect(
            !result.error.contains("Fatal error") && !result.error.contains("Stack dump"),
            sourceLocation: sourceLocation)
    }

    @Test func devRegionPlacesEachPeerAPIOnItsHost() throws {
        let folder = try TemporaryFolder("refgate-dev-region")
        let made = try Self.refgate(
            "pki", "dev-region", "--out", folder.file("region"), "--host", "E08000006=10.213.0.2")
        #expect(made.status == 0, "\(made.combined)")
        let configs = Dictionary(
            uniqueKeysWithValues: made.output.split(separator: "\n").map {
                let parts = $0.split(separator: " ", maxSplits: 1)
                return (String(parts[0]), String(parts[1]))
            })
        let salford = try NodeConfiguration.load(path: try #require(configs["E08000006"]))
        let manchester = try NodeConfiguration.load(path: try #require(configs["E08000003"]))
        #expect(salford.peerListener.host == "10.213.0.2")
        #expect(manchester.peerListener.host == "127.0.0.1")
        let shown = try Self.refgate(
            "directory", "show", folder.file("region/directory.jws"), "--ca-cert", folder.file("region/ca/ca.pem"))
        #expect(shown.output.contains("https://10.213.0.2:\(salford.peerListener.port)"), "\(shown.combined)")

        Self.expectUserError(
            try Self.refgate("pki", "dev-region", "--out", folder.file("r2"), "--host", "E08000099=10.0.0.9"),
            mentions: "E08000099 is not an authority of this region")
        Self.expectUserError(
            try Self.refgate("pki", "dev-region", "--out", folder.file("r3"), "--host", "E08000006="),
            mentions: "--host takes ADDR or GSS=ADDR")
    }

    /// Enrolment: the authority makes its keys and requests; the coordinator checks and signs;
    /// OpenSSL accepts the requests and the certificates, and issues requests refgate accepts.
    @Test func enrolmentKeepsTheKeysWithTheAuthority() throws {
        let folder = try TemporaryFolder("refgate-enrol")
        let ca = folder.file("ca")
        #expect(try Self.refgate("pki", "init-region", "--region", "North West", "--out", ca).status == 0)
        let mine = folder.file("manchester")
        let made = try Self.refgate(
            "pki", "request", "--authority", "E08000003", "--name", "Manchester City Council", "--host",
            "refgate.manchester.example", "--out", mine)
        #expect(made.status == 0, "\(made.combined)")
        for kind in ["auth", "sign"] {
            let mode = try FileManager.default.attributesOfItem(atPath: "\(mine)/\(kind).key")[.posixPermissions]
            #expect((mode as? NSNumber)?.intValue == 0o600)
            let verified = try ExternalTool.run(["openssl", "req", "-verify", "-noout", "-in", "\(mine)/\(kind).csr"])
            #expect(verified.status == 0 && verified.combined.contains("verify OK"), "\(verified.combined)")
            let signed = try Self.refgate(
                "pki", "sign-request", "--ca", ca, "--csr", "\(mine)/\(kind).csr", "--out", "\(mine)/\(kind).pem")
            #expect(signed.status == 0, "\(signed.combined)")
            let chained = try ExternalTool.run(["openssl", "verify", "-CAfile", "\(ca)/ca.pem", "\(mine)/\(kind).pem"])
            #expect(chained.status == 0, "\(chained.combined)")
        }
        // The issued certificates and the keys that never left form a working identity.
        let signer = try MessageSigner(
            certificate: try CertificateFile.loadCertificate("\(mine)/sign.pem", what: "sign certificate"),
            key: try CertificateFile.loadPrivateKey("\(mine)/sign.key", what: "sign key"))
        #expect(!signer.kid.isEmpty)
        let san = try ExternalTool.run([
            "openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", "\(mine)/auth.pem",
        ])
        #expect(san.output.contains("DNS:refgate.manchester.example"), "\(san.combined)")

        // Requests made by OpenSSL: a proper one is accepted; a wrong subject or key is refused.
        func opensslRequest(_ name: String, key: [String], subject: String) throws -> String {
            let path = folder.file("\(name).csr")
            let made = try ExternalTool.run(
                ["openssl", "req", "-new", "-nodes"] + key + [
                    "-keyout", folder.file("\(name).key"), "-subj", subject, "-out", path,
                ])
            #expect(made.status == 0, "\(made.combined)")
            return path
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        let good = try opensslRequest("good", key: ec, subject: "/C=GB/O=Salford City Council/OU=sign/CN=E08000006")
        #expect(
            try Self.refgate("pki", "sign-request", "--ca", ca, "--csr", good, "--out", folder.file("g.pem")).status
                == 0)
        Self.expectUserError(
            try Self.refgate(
                "pki", "sign-request", "--ca", ca, "--out", folder.file("x.pem"), "--csr",
                try opensslRequest("cn", key: ec, subject: "/C=GB/O=Salford/OU=sign/CN=Salford")),
            mentions: "CN must be the authority's GSS code")
        Self.expectUserError(
            try Self.refgate(
                "pki", "sign-request", "--ca", ca, "--out", folder.file("x.pem"), "--csr",
                try opensslRequest(
                    "rsa", key: ["-newkey", "rsa:2048"], subject: "/C=GB/O=Salford/OU=sign/CN=E08000006")),
            mentions: "not P-256")
        Self.expectUserError(
            try Self.refgate(
                "pki", "sign-request", "--ca", ca, "--out", folder.file("x.pem"), "--csr",
                try opensslRequest("nosan", key: ec, subject: "/C=GB/O=Salford/OU=auth/CN=E08000006")),
            mentions: "exactly one host name")
        Self.expectUserError(
            try Self.refgate(
                "pki", "sign-request", "--ca", ca, "--csr", good, "--out", folder.file("y.pem"), "--days", "730"),
            mentions: "at most 366 days")
    }

    @Test func revokingACertificateMakesTheNextDirectoryVersion() throws {
        let folder = try TemporaryFolder("refgate-revoke")
        let region = folder.file("region")
        #expect(try Self.refgate("pki", "dev-region", "--out", region).status == 0)
        let revoked = try Self.refgate(
            "directory", "revoke", "--ca", "\(region)/ca", "--directory", "\(region)/directory.jws", "--certificate",
            "\(region)/E08000006/auth.pem", "--out", folder.file("v2.jws"))
        #expect(revoked.status == 0, "\(revoked.combined)")
        let thumbprint = try Thumbprint.of(
            try CertificateFile.loadCertificate("\(region)/E08000006/auth.pem", what: "auth certificate"))
        let shown = try Self.refgate("directory", "show", folder.file("v2.jws"), "--ca-cert", "\(region)/ca/ca.pem")
        #expect(shown.output.contains("version:   2"), "\(shown.combined)")
        #expect(shown.output.contains("revoked:   \(thumbprint)"), "\(shown.combined)")
        // The same command under pki, as the coordinator's PKI tasks are there.
        let again = try Self.refgate(
            "pki", "revoke", "--ca", "\(region)/ca", "--directory", folder.file("v2.jws"), "--certificate",
            "\(region)/E08000006/sign.pem", "--out", folder.file("v3.jws"))
        #expect(again.status == 0, "\(again.combined)")
        Self.expectUserError(
            try Self.refgate(
                "directory", "revoke", "--ca", "\(region)/ca", "--directory", "\(region)/directory.jws",
                "--certificate",
                folder.file("missing.pem"), "--out", folder.file("v3.jws")),
            mentions: "missing.pem")
    }

    @Test func pkiAndDirectoryCommands() throws {
        let folder = try TemporaryFolder("refgate-cli")
        let ca = folder.file("ca")
        let created = try Self.refgate("pki", "init-region", "--region", "North West", "--out", ca)
        #expect(created.status == 0, "\(created.combined)")
        let mode = try FileManager.default.attributesOfItem(atPath: "\(ca)/ca.key")[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        Self.expectUserError(
            try Self.refgate("pki", "init-region", "--region", "North West", "--out", ca), mentions: "--force")

        for (id, name) in [("E08000003", "Manchester City Council"), ("E08000006", "Salford City Council")] {
            let issued = try Self.refgate(
                "pki", "issue", "--ca", ca, "--authority", id, "--name", name, "--host", "127.0.0.1", "--out",
                folder.file(id))
            #expect(issued.status == 0, "\(issued.combined)")
        }
        Self.expectUserError(
            try Self.refgate(
                "pki", "issue", "--ca", ca, "--authority", "Manchester", "--name", "M", "--host", "127.0.0.1", "--out",
                folder.file("x")),
            mentions: "is not an ONS GSS code")

        let members = """
            [{"id": "E08000003", "name": "Manchester City Council", "endpoint": "https://127.0.0.1:8443", "certificates": "E08000003"},
             {"id": "E08000006", "name": "Salford City Council", "endpoint": "https://127.0.0.1:9443", "certificates": "E08000006"}]
            """
        try members.write(toFile: folder.file("members.json"), atomically: true, encoding: .utf8)
        let signed = try Self.refgate(
            "directory", "sign", "--ca", ca, "--members", folder.file("members.json"), "--region", "North West",
            "--version", "7", "--out", folder.file("directory.jws"))
        #expect(signed.status == 0, "\(signed.combined)")
        let shown = try Self.refgate("directory", "show", folder.file("directory.jws"), "--ca-cert", "\(ca)/ca.pem")
        #expect(shown.status == 0, "\(shown.combined)")
        #expect(shown.output.contains("version:   7"))
        #expect(shown.output.contains("E08000006  Salford City Council  https://127.0.0.1:9443"))

        let published = try Self.refgate(
            "directory", "publish", folder.file("directory.jws"), "--ca-cert", "\(ca)/ca.pem", "--out",
            folder.file("www"))
        #expect(published.status == 0 && published.output.contains("published version 7"), "\(published.combined)")
        let served = try String(contentsOfFile: folder.file("www/directory.jws"), encoding: .utf8)
        #expect(served == (try String(contentsOfFile: folder.file("directory.jws"), encoding: .utf8)))
        #expect(
            try String(contentsOfFile: folder.file("www/directory.json"), encoding: .utf8).contains("\"version\":7"))

        let other = folder.file("other")
        _ = try Self.refgate("pki", "init-region", "--region", "Elsewhere", "--out", other)
        Self.expectUserError(
            try Self.refgate("directory", "show", folder.file("directory.jws"), "--ca-cert", "\(other)/ca.pem"),
            mentions: "directory-invalid")
        Self.expectUserError(
            try Self.refgate(
                "directory", "publish", folder.file("directory.jws"), "--ca-cert", "\(other)/ca.pem", "--out",
                folder.file("www2")),
            mentions: "directory-invalid")
        #expect(!FileManager.default.fileExists(atPath: folder.file("www2")), "nothing published")
        Self.expectUserError(
            try Self.refgate("directory", "show", folder.file("nothing.jws"), "--ca-cert", "\(ca)/ca.pem"),
            mentions: "cannot read directory")
    }

    @Test func calendarCommands() throws {
        let holidays = try Self.refgate("calendar", "holidays", "2026")
        #expect(holidays.status == 0)
        #expect(
            holidays.output.split(separator: "\n") == [
                "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
                "2026-12-28",
            ])
        let days = try Self.refgate("calendar", "add", "--from", "2026-12-24T16:00:00Z", "--working-days", "1")
        #expect(days.output == "2026-12-29T16:00:00Z\n", "\(days.combined)")
        let hours = try Self.refgate("calendar", "add", "--from", "2026-03-27T16:00:00Z", "--working-hours", "2")
        #expect(hours.output == "2026-03-30T09:00:00Z\n", "\(hours.combined)")
        Self.expectUserError(
            try Self.refgate("calendar", "add", "--from", "next week", "--working-days", "1"), mentions: "ISO 8601")
        Self.expectUserError(
            try Self.refgate("calendar", "add", "--from", "2026-12-24T16:00:00Z"), mentions: "exactly one of")
        Self.expectUserError(
            try Self.refgate("calendar", "holidays", "2026", "--holidays-file", "/nonexistent.json"),
            mentions: "cannot read the bank holidays file")
    }

    /// The delivery benchmark at a tiny size: every line it reports, and the summary of its runs.
    @Test func theExchangeBenchmarkReportsItsFiguresAndTheirSpread() throws {
        // The benchmark picks free ports and then binds them: a port another suite took in between
        // fails its listener, and the run is tried again.
        var result = try Self.refgate(
            "bench", "exchange", "--count", "40", "--rounds", "2", "--latency-count", "10", "--rate", "100")
        for _ in 0..<2 where result.status != 0 && result.error.contains("listener-failed") {
            result = try Self.refgate(
                "bench", "exchange", "--count", "40", "--rounds", "2", "--latency-count", "10", "--rate", "100")
        }
        #expect(result.status == 0, "\(result.combined)")
        for line in [
            "floor: P-256 sign", "throughput: 40 requests", "cpu: ", "over 2 runs: median", "latency at an offered",
        ] {
            #expect(result.output.contains(line), "\(line)\n\(result.combined)")
        }
        #expect(result.output.components(separatedBy: "floor: P-256").count == 3)
        Self.expectUserError(try Self.refgate("bench", "exchange", "--rounds", "0"), mentions: "--rounds")
    }

    @Test func mistakesAreExplained() throws {
        let folder = try TemporaryFolder("refgate-cli")
        Self.expectUserError(
            try Self.refgate("request", "list", "--config", folder.file("missing.json")),
            mentions: "cannot read the configuration file")
        try #"{"authority": "E08000003"}"#.write(toFile: folder.file("partial.json"), atomically: true, encoding: .utf8)
        Self.expectUserError(
            try Self.refgate("request", "list", "--config", folder.file("partial.json")), mentions: "missing setting")
        let unknownRole = try Self.refgate(
            "respond", "--config", "x", "--case", "c", "--outcome", "verified", "--authored-by-referee", "true",
            "--referee-actual-role", "SM", "--placement-dates-confirmed", "true", "--responder-name", "S",
            "--responder-role", "social-worker")
        #expect(unknownRole.status != 0)
        #expect(unknownRole.error.contains("responder-role"), "\(unknownRole.combined)")
    }

    /// A node that takes the request and then drops the connection without an answer: the CLI
    /// cannot know whether the case opened, says so, and gives the key that makes a retry safe.
    @Test func aLostAnswerGivesTheKeyToSendAgainSafely() throws {
        let folder = try TemporaryFolder("refgate-cli-lost")
        let listener = try DroppingListener()
        defer { listener.close() }
        let manchester = AuthorityID(rawValue: "E08000003")!
        let paths = try RegionBuilder(
            region: "North West",
            members: [
                .init(id: manchester, name: "Manchester", peerPort: FreePort.next(), localPort: listener.port),
                .init(
                    id: AuthorityID(rawValue: "E08000006")!, name: "Salford", peerPort: FreePort.next(),
                    localPort: FreePort.next()),
            ]
        ).build(at: folder.path, now: Date(), localTLS: false)
        let result = try ExternalTool.run(
            [
                Self.binary, "request", "send", "--config", paths[manchester]!, "--to", "E08000006",
                "--candidate-name", "A", "--registration", "SW1", "--role", "team-manager", "--agency", "X",
                "--referee-name", "R", "--referee-role", "SM", "--team", "T", "--placement-start", "2025-03-03",
                "--placement-end", "2026-08-28", "--date-given", "2026-09-15", "--requester-name", "J",
                "--requester-role", "RO", "--requester-email", "j@example.org",
            ], environment: ["REFGATE_TOKEN": "token"])
        Self.expectUserError(result, mentions: "may or may not have been made")
        #expect(result.error.contains("--idempotency-key "), "\(result.combined)")
        #expect(listener.requests() >= 1)
    }

    /// `refgate --version`: the release and the commit it was built from.
    @Test func versionNamesTheReleaseAndTheCommit() throws {
        let run = try Self.refgate("--version")
        #expect(run.status == 0)
        #expect(
            run.output.trimmingCharacters(in: .whitespacesAndNewlines)
                .wholeMatch(of: /\d+\.\d+\.\d+ \(commit ([0-9a-f]{12}|unknown)\)/) != nil, "\(run.output)")
    }

    /// `--log-format json`: every line the node writes is one JSON object, with the same
    /// metadata as the text format (the start-up line names both APIs).
    @Test func jsonLogsAreOneObjectALine() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (config, _) = try Self.region(in: folder)
        let node = try NodeProcess(
            binary: Self.binary, config: config, log: folder.file("json.log"), arguments: ["--log-format", "json"])
        try await node.waitUntilReady()
        #expect(node.terminate() == 0)
        let lines = try String(contentsOfFile: folder.file("json.log"), encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        var running: [String: Any]?
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(object["time"] is String && object["level"] is String && object["message"] is String)
            if object["message"] as? String == "node running" { running = object }
        }
        let metadata = try #require(running?["metadata"] as? [String: Any], "the start-up line is logged")
        #expect((metadata["local_api"] as? String)?.hasPrefix("https://127.0.0.1:") == true)
        #expect((metadata["peer_api"] as? String)?.hasSuffix("/peer/v1/messages") == true)
        #expect(try Self.refgate("node", "run", "--config", config, "--log-format", "xml").status != 0)
    }

    /// A node of the previous release upgraded in place still starts on its old file: the
    /// renamed `adminListener` is read as `localListener`, with a warning naming the new key.
    @Test func aConfigWithThePreviousReleasesKeysStillStarts() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (config, _) = try Self.region(in: folder)
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config))) as? [String: Any])
        object["adminListener"] = object.removeValue(forKey: "localListener")
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: config))
        let node = try NodeProcess(binary: Self.binary, config: config, log: folder.file("old.log"))
        try await node.waitUntilReady()
        #expect(node.terminate() == 0)
        let log = try String(contentsOfFile: folder.file("old.log"), encoding: .utf8)
        #expect(log.contains("'adminListener' is now called 'localListener'"), "\(log.prefix(1500))")
    }

    /// `refgate config check` passes a good configuration, then finds every problem of a broken
    /// one (not only the first), each with its fix, and exits 1; it writes nothing.
    @Test func configCheckFindsEveryProblemWithItsFix() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (config, _) = try Self.region(in: folder)
        let good = try Self.refgate("config", "check", "--config", config)
        #expect(good.status == 0 && good.output.contains("configuration ok"), "\(good.combined)")

        let configuration = try NodeConfiguration.load(path: config)
        // A running node holds its ports: a check before a restart says so.
        let node = try NodeProcess(binary: Self.binary, config: config, log: folder.file("node.log"))
        try await node.waitUntilReady()
        let running = try Self.refgate("config", "check", "--config", config)
        #expect(node.terminate() == 0)
        #expect(running.status == 1 && running.output.contains("peerListener: cannot listen on"), "\(running.combined)")

        // The auth key copied, owner-only, as if it were the sign certificate's key.
        let wrongKey = folder.file("wrong-sign.key")
        try FileManager.default.copyItem(atPath: configuration.authKey, toPath: wrongKey)
        chmod(wrongKey, 0o600)
        chmod(configuration.authKey, 0o644)
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config))) as? [String: Any])
        object["signKey"] = wrongKey
        object["adminListener"] = object.removeValue(forKey: "localListener")
        object["notifications"] = [
            "smtp": ["host": "127.0.0.1", "port": 1, "security": "plain", "from": "a@b.example"]
        ]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: config))
        let before = try Data(contentsOf: URL(fileURLWithPath: config))

        let broken = try Self.refgate("config", "check", "--config", config, "--timeout", "2")
        #expect(broken.status == 1, "\(broken.combined)")
        let lines = broken.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("problem: auth key:") && $0.contains("chmod 600") }, "\(broken.output)")
        #expect(lines.contains { $0.hasPrefix("problem: signKey:") && $0.contains("is not the key of") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("problem: notifications.smtp: cannot reach 127.0.0.1:1") })
        #expect(lines.contains { $0.hasPrefix("warning: settings:") && $0.contains("refgate config migrate") })
        #expect(broken.output.contains("problems in"))
        #expect(!broken.error.contains("Fatal error"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: config)) == before, "the check wrote nothing")
    }

    /// `refgate config migrate` renames the previous release's settings in place, keeps the
    /// old file beside it and the file's mode; a second run has nothing to do.
    @Test func configMigrateWritesTheCurrentForm() throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (config, _) = try Self.region(in: folder)
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config))) as? [String: Any])
        object["adminListener"] = object.removeValue(forKey: "localListener")
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: config))
        chmod(config, 0o640)
        let dry = try Self.refgate("config", "migrate", "--config", config, "--dry-run")
        #expect(dry.status == 0 && dry.output.contains("would change: 'adminListener' renamed 'localListener'"))
        let migrated = try Self.refgate("config", "migrate", "--config", config)
        #expect(
            migrated.status == 0 && migrated.output.contains("changed: 'adminListener' renamed"), "\(migrated.combined)"
        )
        let now = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config))) as? [String: Any])
        #expect(now["localListener"] != nil && now["adminListener"] == nil)
        #expect(FileManager.default.fileExists(atPath: config + ".previous"))
        let mode = try FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let checked = try Self.refgate("config", "check", "--config", config)
        #expect(checked.status == 0 && !checked.output.contains("warning"), "\(checked.combined)")
        let again = try Self.refgate("config", "migrate", "--config", config)
        #expect(again.output.contains("already in the current form"))
        let missing = try Self.refgate("config", "migrate", "--config", folder.file("none.json"))
        Self.expectUserError(missing, mentions: "cannot read the configuration file")
    }

    /// Two `refgate node run` processes; people's commands through the admin API; SIGTERM.
    @Test func twoNodeProcessesExchangeThroughThePeoplesCommands() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (configA, configB) = try Self.region(in: folder)
        let nodeA = try NodeProcess(binary: Self.binary, config: configA, log: folder.file("a.log"))
        let nodeB = try NodeProcess(binary: Self.binary, config: configB, log: folder.file("b.log"))
        try await nodeA.waitUntilReady()
        try await nodeB.waitUntilReady()

        let sent = try Self.sendRequest(config: configA, idempotencyKey: "cli-test-1")
        #expect(sent.status == 0, "\(sent.combined)")
        let caseID = try #require(sent.output.split(separator: " ").dropFirst().first.map(String.init))
        // Sent again with its key (as after a lost answer): the same case, nothing new.
        let again = try Self.sendRequest(config: configA, idempotencyKey: "cli-test-1")
        #expect(again.status == 0 && again.output.contains(caseID), "\(again.combined)")

        let badEmail = try Self.refgate(
            "request", "send", "--config", configA, "--to", "E08000006", "--candidate-name", "A", "--registration",
            "SW1", "--role", "team-manager", "--agency", "X", "--referee-name", "R", "--referee-role", "SM", "--team",
            "T", "--placement-start", "2025-03-03", "--placement-end", "2026-08-28", "--date-given", "2026-09-15",
            "--requester-name", "J", "--requester-role", "RO", "--requester-email", "not-an-address")
        Self.expectUserError(badEmail, mentions: "/requester/email")

        var owed = ""
        for _ in 0..<200 where !owed.contains(caseID) {
            owed = try Self.refgate("request", "list", "--config", configB, "--side", "responder").output
            if !owed.contains(caseID) { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(owed.contains(caseID) && owed.contains("awaiting-response"), "\(owed)")

        let junior = try Self.refgate(
            "respond", "--config", configB, "--case", caseID, "--outcome", "verified", "--authored-by-referee", "true",
            "--referee-actual-role", "Service Manager", "--placement-dates-confirmed", "true", "--responder-name",
            "Tom Team", "--responder-role", "team-manager")
        Self.expectUserError(junior, mentions: "para 5")

        let answered = try Self.refgate(
            "respond", "--config", configB, "--case", caseID, "--outcome", "verified", "--authored-by-referee", "true",
            "--referee-actual-role", "Service Manager", "--placement-dates-confirmed", "true", "--responder-name",
            "Sam Okafor", "--responder-role", "service-manager")
        #expect(answered.status == 0, "\(answered.combined)")

        var shown = ""
        for _ in 0..<200 where !shown.contains("status     verified") {
            shown = try Self.refgate("case", "show", "--config", configA, "--case", caseID).output
            if !shown.contains("status     verified") { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(shown.contains("status     verified"), "\(shown)")
        #expect(shown.contains("verified by Sam Okafor (service-manager)"))
        let json = try Self.refgate("case", "show", "--config", configA, "--case", caseID, "--json")
        #expect(json.output.contains("\"jws\""))

        let blocked = try Self.refgate("candidate", "status", "--config", configA, "--registration", "SW104522")
        #expect(blocked.status == 0, "\(blocked.combined)")
        #expect(blocked.output.contains("BLOCKED") && blocked.output.contains("the DBS check has not been reviewed"))
        let cleared = try Self.refgate(
            "candidate", "checklist", "--config", configA, "--registration", "SW104522", "--dbs-reviewed", "true",
            "--permanent-employer-references", "true", "--employment-gaps-challenged", "true", "--recorded-by",
            "Jordan Ellis")
        #expect(cleared.output.contains("CLEARED"), "\(cleared.combined)")
        Self.expectUserError(
            try Self.refgate("candidate", "status", "--config", configA, "--registration", "SW999"),
            mentions: "no candidate")

        let health = try Self.refgate("deliveries", "--config", configA)
        #expect(health.status == 0, "\(health.combined)")
        #expect(health.output.contains("E08000006  ok") && health.output.contains("backlog 0"), "\(health.output)")
        let problems = try Self.refgate("deliveries", "problems", "--config", configA)
        #expect(problems.output.contains("no delivery problems"), "\(problems.combined)")
        Self.expectUserError(
            try Self.refgate("deliveries", "retry", "--config", configA), mentions: "exactly one of --message")
        Self.expectUserError(
            try Self.refgate("deliveries", "retry", "--config", configA, "--message", "nope"), mentions: "not-found")

        #expect(nodeA.terminate() == 0, "node A exits cleanly on SIGTERM")
        #expect(nodeB.terminate() == 0, "node B exits cleanly on SIGTERM")
        Self.expectUserError(
            try Self.refgate("request", "list", "--config", configA), mentions: "no node answers")
        let logs = try String(contentsOfFile: folder.file("a.log"), encoding: .utf8)
        let key = try String(contentsOfFile: folder.file("E08000003/auth.key"), encoding: .utf8)
        let token = try String(contentsOfFile: folder.file("E08000003/admin.token"), encoding: .utf8)
        #expect(!logs.contains(token.trimmingCharacters(in: .whitespacesAndNewlines)), "no secrets in logs")
        #expect(!logs.contains(String(key.split(separator: "\n")[1])), "no secrets in logs")
        // The start-up line names the local API with the scheme it really serves (TLS here).
        #expect(logs.contains("local_api=https://127.0.0.1:"), "\(logs.prefix(2000))")
    }
}

extension CLITests {
    /// The issue's crash test: the deadline has passed and the escalation is committed, but the
    /// notice is not yet delivered (the peer is down) when the node is killed with SIGKILL.
    /// After a restart there is exactly one escalation, and the peer receives one notice.
    @Test func aNodeKilledBetweenDeadlineAndNoticeEscalatesExactlyOnce() async throws {
        let folder = try TemporaryFolder("refgate-crash")
        let (configA, configB) = try Self.region(in: folder)
        let (logA, logB) = (folder.file("a.log"), folder.file("b.log"))
        defer {
            // Keep the node logs of the last run for investigation.
            let keep = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("refgate-crash-logs").path
            try? FileManager.default.removeItem(atPath: keep)
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? FileManager.default.copyItem(atPath: logA, toPath: keep + "/a.log")
            try? FileManager.default.copyItem(atPath: logB, toPath: keep + "/b.log")
        }

        // Today: the request is sent and received.
        var nodeA = try NodeProcess(binary: Self.binary, config: configA, log: logA)
        var nodeB = try NodeProcess(binary: Self.binary, config: configB, log: logB)
        try await nodeA.waitUntilReady()
        try await nodeB.waitUntilReady()
        let sent = try Self.refgate(
            "request", "send", "--config", configA, "--to", "E08000006", "--candidate-name", "Alex Morgan",
            "--registration", "SW104522", "--role", "qualified-social-worker", "--agency", "Agency", "--referee-name",
            "Priya Shah", "--referee-role", "Team Manager", "--team", "East", "--placement-start", "2025-03-03",
            "--placement-end", "2026-08-28", "--date-given", "2026-09-15", "--requester-name", "Jordan Ellis",
            "--requester-role", "Recruitment Officer", "--requester-email", "jordan.ellis@manchester.example")
        #expect(sent.status == 0, "\(sent.combined)")
        let caseID = try #require(sent.output.split(separator: " ").dropFirst().first.map(String.init))
        try await Self.until("Salford holds the case") {
            try Self.refgate("request", "list", "--config", configB).output.contains(caseID)
        }
        #expect(nodeA.terminate() == 0 && nodeB.terminate() == 0)

        // Ten days on, Salford down: Manchester's scheduler escalates at start; delivery fails.
        nodeA = try NodeProcess(binary: Self.binary, config: configA, log: logA, daysAhead: 10)
        try await nodeA.waitUntilReady()
        try await Self.until("the escalation is committed") {
            try Self.escalations(configA).count == 1
        }
        nodeA.kill()

        // Both up, ten days on: no second escalation; the one notice arrives.
        nodeA = try NodeProcess(binary: Self.binary, config: configA, log: logA, daysAhead: 10)
        nodeB = try NodeProcess(binary: Self.binary, config: configB, log: logB, daysAhead: 10)
        try await nodeA.waitUntilReady()
        try await nodeB.waitUntilReady()
        try await Self.until("Salford receives the notice") { try Self.escalations(configB).count == 1 }
        try await Task.sleep(for: .seconds(1))  // a window in which a duplicate would show
        #expect(try Self.escalations(configA).count == 1)
        #expect(try Self.escalations(configB).count == 1)
        let escalation = try #require(try Self.escalations(configA).first)
        #expect(escalation.reason == .responseOverdue && escalation.level == 1)
        let shown = try Self.refgate("case", "show", "--config", configB, "--case", caseID).output
        #expect(shown.components(separatedBy: "escalation-notice").count - 1 == 1, "\(shown)")
        #expect(nodeA.terminate() == 0 && nodeB.terminate() == 0)
    }

    /// A node whose peer port is taken says so in one line and exits non-zero within seconds
    /// (it used to wait for the port for ever and then ignore SIGTERM).
    @Test func aNodeThatCannotListenSaysWhyAndExits() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (configA, _) = try Self.region(in: folder)
        let first = try NodeProcess(binary: Self.binary, config: configA, log: folder.file("first.log"))
        try await first.waitUntilReady()
        defer { _ = first.terminate() }

        let started = ContinuousClock.now
        let second = try Self.refgate("node", "run", "--config", configA, "--log-level", "critical")
        let elapsed = ContinuousClock.now - started
        #expect(second.status != 0, "\(second.combined)")
        #expect(elapsed < .seconds(15), "exits promptly, took \(elapsed)")
        let errorLines = second.error.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1, "\(second.combined)")
        #expect(errorLines.first?.contains("listener-failed") == true, "\(second.combined)")
        #expect(errorLines.first?.contains("already in use") == true, "\(second.combined)")
        #expect(!second.error.contains("Fatal error") && !second.error.contains("Stack dump"))
    }

    /// An invalid directory or an unreadable key: one line saying what, non-zero, at once.
    @Test func aNodeThatCannotStartForOtherReasonsSaysWhy() async throws {
        let folder = try TemporaryFolder("refgate-cli")
        let (configA, _) = try Self.region(in: folder)
        let directory = folder.file("E08000003/directory.jws")
        let original = try String(contentsOfFile: directory, encoding: .utf8)
        try "not a directory\n".write(toFile: directory, atomically: true, encoding: .utf8)
        let badDirectory = try Self.refgate("node", "run", "--config", configA)
        Self.expectUserError(badDirectory, mentions: "Error: ")
        #expect(badDirectory.error.split(separator: "\n").filter { $0.hasPrefix("Error:") }.count == 1)
        try original.write(toFile: directory, atomically: true, encoding: .utf8)

        try FileManager.default.removeItem(atPath: folder.file("E08000003/sign.key"))
        let noKey = try Self.refgate("node", "run", "--config", configA)
        Self.expectUserError(noKey, mentions: "sign key")
    }

    /// Manchester and Salford with fixed ports in `folder`; returns their config paths.
    static func region(in folder: TemporaryFolder) throws -> (manchester: String, salford: String) {
        let manchester = AuthorityID(rawValue: "E08000003")!
        let salford = AuthorityID(rawValue: "E08000006")!
        let paths = try RegionBuilder(
            region: "North West",
            members: [
                .init(
                    id: manchester, name: "Manchester City Council", peerPort: FreePort.next(),
                    localPort: FreePort.next()),
                .init(id: salford, name: "Salford City Council", peerPort: FreePort.next(), localPort: FreePort.next()),
            ]
        ).build(at: folder.path, now: Date(), localTLS: true)
        return (paths[manchester]!, paths[salford]!)
    }

    static func escalations(_ config: String) throws -> [EscalationView] {
        let listed = try refgate("escalations", "list", "--config", config, "--json")
        guard listed.status == 0 else { return [] }
        return try MessageCoding.decoder().decode([EscalationView].self, from: Data(listed.output.utf8))
    }

    static func until(_ what: String, _ condition: () throws -> Bool) async throws {
        for _ in 0..<400 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RefGateError(.internalError, "timed out waiting until \(what)")
    }
}

/// A `refgate node run` child process with its log in a file.
final class NodeProcess: @unchecked Sendable {
    // @unchecked Sendable: set up in init; afterwards only Process's thread-safe methods are called.
    let process = Process()
    let config: String
    let log: String

    /// Starts `refgate node run`; with `daysAhead`, the node's injected clock runs that many days ahead.
    init(binary: String, config: String, log: String, daysAhead: Int? = nil, arguments: [String] = []) throws {
        self.config = config
        self.log = log
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        let run = ["node", "run", "--config", config, "--log-level", "info"]
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = run + (daysAhead.map { ["--clock-offset-seconds", "\($0 * 86_400)"] } ?? []) + arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    func waitUntilReady() async throws {
        let configuration = try NodeConfiguration.load(path: config)
        for _ in 0..<400 {
            // The local listener serves TLS with the auth certificate (the regional CA's).
            let scheme = configuration.localTLS == nil ? "http" : "https"
            let probe = try ExternalTool.run([
                "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", configuration.caCertificate,
                "--max-time", "2", "\(scheme)://127.0.0.1:\(configuration.localListener.port)/healthz",
            ])
            if probe.output == "200" { return }
            guard process.isRunning else {
                let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(4)
                throw RefGateError(
                    .internalError, "node exited early: \(tail?.joined(separator: " | ") ?? "no log")")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RefGateError(.internalError, "node did not become ready")
    }

    /// Kills the process without warning (SIGKILL): no graceful shutdown.
    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit(timeout: .seconds(10))
    }

    /// Sends SIGTERM and returns the exit status; a node still running after 15 s is killed
    /// and reported as -1 (graceful shutdown must finish well within that).
    func terminate() -> Int32 {
        process.terminate()
        guard process.waitUntilExit(timeout: .seconds(15)) else { return -1 }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
