import Crypto
import Foundation
import Logging
import NIOCore
import NIOPosix
import RefGateCore
import RefGateStore
import RefGateTrust
import X509

/// What `refgate config check` does: everything a start would check, and what a start would
/// only find by failing (ports, mail and webhook endpoints), without starting or writing
/// anything. Every problem is found, not just the first, each with its fix.
public struct ConfigurationCheck: Sendable {
    /// One thing found.
    public struct Finding: Sendable, Hashable {
        /// How bad it is.
        public enum Severity: String, Sendable, Hashable {
            /// A start would fail, or the node would fail at its job.
            case problem
            /// Works today, but should change (a deprecated setting, a certificate near its end).
            case warning
        }

        /// How bad it is.
        public var severity: Severity
        /// What it is about (a setting or a file).
        public var subject: String
        /// What is wrong and how to fix it.
        public var detail: String
    }

    /// The configuration file.
    public var path: String
    /// Now.
    public var now: Date
    /// How long to wait for each endpoint.
    public var timeout: TimeAmount = .seconds(5)

    /// Creates a check of the file at `path`.
    public init(path: String, now: Date, timeout: TimeAmount = .seconds(5)) {
        self.path = path
        self.now = now
        self.timeout = timeout
    }

    /// Runs every check.
    public func run() async -> [Finding] {
        var found: [Finding] = []
        func problem(_ subject: String, _ detail: String) {
            found.append(.init(severity: .problem, subject: subject, detail: detail))
        }
        func warning(_ subject: String, _ detail: String) {
            found.append(.init(severity: .warning, subject: subject, detail: detail))
        }
        func attempt<T>(_ subject: String, _ body: () throws -> T) -> T? {
            do { return try body() } catch {
                problem(subject, Self.describe(error))
                return nil
            }
        }

        // Syntax, settings and their values: nothing else can be checked without them.
        let configuration: NodeConfiguration
        do {
            let loaded = try NodeConfiguration.loadWithWarnings(path: path)
            configuration = loaded.configuration
            for text in loaded.warnings {
                warning("settings", text + " (`refgate config migrate --config \(path)` does it)")
            }
        } catch {
            problem("settings", Self.describe(error))
            return found
        }

        for file in configuration.secretFiles {
            _ = attempt(file.what) { try PEMFile.checkPrivate(file.path, what: file.what) }
        }

        // Trust: the CA, the directory it signed, and this node's certificates in it.
        let anchor = attempt("caCertificate") {
            try CertificateFile.loadCertificate(configuration.caCertificate, what: "regional CA certificate")
        }
        let held =
            attempt("database") {
                try configuration.database.sqlitePath.flatMap(Store.highestDirectoryVersion(atPath:))
            } ?? nil
        var trusted: TrustedDirectory?
        if let anchor {
            let compact = attempt("directory") { try PEMFile.read(configuration.directory, what: "directory") }?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if let compact {
                do {
                    trusted = try await TrustedDirectory.verify(
                        compact: compact, anchor: anchor, now: now, heldVersion: held)
                } catch {
                    problem("directory", Self.describe(error))
                }
            }
        }
        let pairs: [(certificate: String, key: String, name: String)] = [
            (configuration.authCertificate, configuration.authKey, "auth"),
            (configuration.signCertificate, configuration.signKey, "sign"),
        ]
        var thumbprints: [String: String] = [:]
        for pair in pairs {
            let certificate = attempt("\(pair.name)Certificate") {
                try CertificateFile.loadCertificate(pair.certificate, what: "\(pair.name) certificate")
            }
            let key = attempt("\(pair.name)Key") {
                try CertificateFile.loadPrivateKey(pair.key, what: "\(pair.name) key")
            }
            guard let certificate else { continue }
            thumbprints[pair.name] = try? Thumbprint.of(certificate)
            if let key, Certificate.PublicKey(key.publicKey) != certificate.publicKey {
                problem(
                    "\(pair.name)Key",
                    "\(pair.key) is not the key of \(pair.certificate): give the key the certificate was issued for, or enrol again (`refgate pki enrol`)"
                )
            }
            if now < certificate.notValidBefore || now >= certificate.notValidAfter {
                problem(
                    "\(pair.name)Certificate",
                    "\(pair.certificate) is not valid now (valid \(certificate.notValidBefore) to \(certificate.notValidAfter)): renew it with the coordinator"
                )
            } else if certificate.notValidAfter.timeIntervalSince(now) < 30 * 86_400 {
                warning(
                    "\(pair.name)Certificate",
                    "\(pair.certificate) expires on \(certificate.notValidAfter): renew it with the coordinator before then"
                )
            }
        }
        if let trusted {
            if let me = trusted.member(configuration.authority) {
                let auth = thumbprints["auth"]
                let sign = thumbprints["sign"]
                if let auth, let sign, !me.lists(authThumbprint: auth, signThumbprint: sign) {
                    problem(
                        "certificates",
                        "the auth or sign certificate is not the one directory version \(trusted.directory.version) lists for \(configuration.authority) (nor its next pair): install the directory that lists them, or configure the certificates it lists"
                    )
                }
            } else {
                problem(
                    "authority",
                    "\(configuration.authority) is not in directory version \(trusted.directory.version): check `authority`, or ask the coordinator for a directory that lists it"
                )
            }
        }

        // What a start would find only by failing.
        for (name, listener) in [
            ("peerListener", configuration.peerListener), ("localListener", configuration.localListener),
        ]
        where listener.port != 0 {
            if let error = await Self.bindError(host: listener.host, port: listener.port) {
                problem(
                    name,
                    "cannot listen on \(listener.address): \(error) (if this node is running, that is expected before a restart; otherwise stop what holds it or choose another port)"
                )
            }
        }
        if let smtp = configuration.notifications?.smtp {
            if let error = await Self.connectError(host: smtp.host, port: smtp.port, timeout: timeout) {
                problem(
                    "notifications.smtp",
                    "cannot reach \(smtp.host):\(smtp.port): \(error) (check the host and port, and that a firewall lets this machine through)"
                )
            }
        }
        for webhook in configuration.notifications?.webhooks ?? [] {
            guard let url = URL(string: webhook.url), let host = url.host else { continue }
            let port = url.port ?? (url.scheme == "http" ? 80 : 443)
            if let error = await Self.connectError(host: host, port: port, timeout: timeout) {
                problem(
                    "notifications.webhooks",
                    "cannot reach \(webhook.url) (\(host):\(port)): \(error) (check the URL, and that a firewall lets this machine through)"
                )
            }
        }
        return found
    }

    static func describe(_ error: any Error) -> String { "\(error)" }

    /// Why `host:port` cannot be bound now, or nil when it can (it is released at once).
    public static func bindError(host: String, port: Int) async -> String? {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: host, port: port).get()
            try await channel.close()
            return nil
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            return "the address is already in use"
        } catch {
            return "\(error)"
        }
    }

    /// Why a TCP connection to `host:port` cannot be made within `timeout`, or nil.
    static func connectError(host: String, port: Int, timeout: TimeAmount) async -> String? {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout).connect(host: host, port: port).get()
            try await channel.close()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
