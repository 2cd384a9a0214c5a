import ArgumentParser
import Crypto
import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import RefGateTrust
import ServiceLifecycle

extension BenchCommand {
    struct Exchange: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Two nodes over real mTLS, all durable: throughput, latency at an offered rate, and the floor set by the work (P-256, fsync).",
            discussion: """
                Each message is validated, signed and committed by the sender, delivered over mutual TLS, verified, \
                schema-checked, committed and receipted by the receiver, and its receipt verified and committed by \
                the sender (synchronous = FULL on both). The floor: each message needs 2 P-256 signatures and 2 \
                verifications (on 2 cores), and 3 durable commits when nothing is grouped.
                """)

        @Option(help: "Requests for the throughput run.") var count: Int = 5_000
        @Option(help: "Requests in flight at once from the sender's callers.") var concurrency: Int = 1_024
        @Option(help: "Offered rate for the latency run, messages per second.") var rate: Double = 200
        @Option(help: "Requests for the latency run.") var latencyCount: Int = 2_000
        @Option(
            help:
                "Throughput runs, each after its own floor measurement; with more than one, the medians and ranges follow (this machine's speed varies between runs)."
        )
        var rounds: Int = 1
        @Option(help: "Where both nodes keep their stores: sqlite or postgres.") var store: String = "sqlite"
        @Option(
            help:
                "With --store postgres: the server, as postgres://user@host:port/database for a user who may create databases (two fresh ones are made)."
        )
        var postgres: String?
        @Option(help: "With --store postgres: instances of the sending node, all active on its one database.")
        var instances: Int = 2
        @Option(help: "With --store postgres: writer lanes per instance (database.postgres.writers; default 4).")
        var writers: Int?
        @Option(help: "With --store postgres: connections per instance (database.postgres.connections).")
        var connections: Int = 16

        func run() async throws {
            guard rounds >= 1, count >= 1 else {
                throw ValidationError("--rounds and --count must be at least 1")
            }
            guard ["sqlite", "postgres"].contains(store) else {
                throw ValidationError("--store is sqlite or postgres")
            }
            guard store == "sqlite" || postgres != nil else {
                throw ValidationError(
                    "--store postgres needs --postgres postgres://user@host:port/database (a user who may create databases)"
                )
            }
            guard instances >= 1 else { throw ValidationError("--instances must be at least 1") }
            let (region, logger) = try BenchCommand.region()
            let floor = try Floor.measure(in: region.root)
            floor.print()
            var configurationA = try NodeConfiguration.load(path: region.configA)
            var configurationB = try NodeConfiguration.load(path: region.configB)
            var senderCount = 1
            var postgresFloor: Double?
            var postgresConnections = 0
            if let server = postgres, store == "postgres" {
                let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
                let urlA = try PostgresBenchmark.createDatabase(serverURL: server, name: "refgate_bench_a_\(suffix)")
                let urlB = try PostgresBenchmark.createDatabase(serverURL: server, name: "refgate_bench_b_\(suffix)")
                var settingsA = PostgresBenchmark.settings(url: urlA, connections: connections)
                var settingsB = PostgresBenchmark.settings(url: urlB, connections: connections)
                (settingsA.writers, settingsB.writers) = (writers, writers)
                configurationA.database = .postgres(settingsA)
                configurationB.database = .postgres(settingsB)
                let single = try PostgresBenchmark.commitRate(url: urlB, connections: 1, count: 2_000)
                let many = try PostgresBenchmark.commitRate(url: urlB, connections: connections, count: 16_000)
                postgresFloor = max(single, many)
                postgresConnections = connections
                print(
                    String(
                        format:
                            "PostgreSQL floor: single-row INSERT transactions, synchronous_commit = on: %.0f commits/s on 1 connection, %.0f/s on %d",
                        single, many, connections))
                senderCount = instances
            }
            // Every instance of the sender connects from 127.0.0.1 and keeps up to 32
            // connections to the receiver: at the receiver's 64 from one address, a connection
            // replaced while its old one is still closing would be refused.
            var limits = configurationB.limits ?? NodeConfiguration.Limits()
            limits.maxConnectionsPerAddress = max(limits.maxConnectionsPerAddress ?? 64, 32 * senderCount + 16)
            configurationB.limits = limits
            var senders = [try await Node.make(configuration: configurationA, logger: logger)]
            for _ in 1..<senderCount {
                // Another instance of the same authority: its own listeners, the same database and keys.
                var other = configurationA
                other.peerListener.port = 0
                other.localListener.port = 0
                senders.append(try await Node.make(configuration: other, logger: logger))
            }
            let sender = senders[0]
            let receiver = try await Node.make(configuration: configurationB, logger: logger)
            print("store: \(store)\(senderCount > 1 ? ", \(senderCount) instances of the sending node" : "")")
            let group = ServiceGroup(
                configuration: .init(
                    services: senders.flatMap(\.services) + receiver.services, logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    for node in senders { _ = try await node.peerPort.value() }
                    _ = try await receiver.peerPort.value()
                    let draft = Self.draft(to: region.b)
                    // Warm up: connections, caches.
                    try await send(100, from: senders, draft: draft, concurrency: concurrency)
                    try await waitDelivered(sender, total: 100)

                    var results: [Round] = []
                    for round in 1...rounds {
                        let floor = round == 1 ? floor : try Floor.measure(in: region.root, file: "floor-\(round)")
                        if round > 1 { floor.print() }
                        results.append(
                            try await throughput(
                                from: senders, draft: draft, floor: floor, delivered: 100 + (round - 1) * count))
                        if let postgresFloor, let last = results.last {
                            print(
                                String(
                                    format:
                                        "PostgreSQL: %.0f msg/s is %.0f%% of the engine's own durable commit rate (%.0f/s, the higher of 1 and %d connections)",
                                    last.messagesPerSecond, 100 * last.messagesPerSecond / postgresFloor, postgresFloor,
                                    postgresConnections))
                        }
                    }
                    if rounds > 1 { Round.summary(results) }

                    let before = Date().epochMilliseconds
                    let paced = ContinuousClock.now
                    try await withThrowingTaskGroup(of: Void.self) { sends in
                        for index in 0..<latencyCount {
                            try await Task.sleep(until: paced + .seconds(Double(index) / rate), clock: .continuous)
                            let node = senders[index % senders.count]
                            sends.addTask { _ = try await node.engine.commands.sendRequest(draft) }
                        }
                        try await sends.waitForAll()
                    }
                    try await waitDelivered(sender, total: 100 + rounds * count + latencyCount)
                    let latencies = try await sender.store.read { reader in
                        try reader.deliveryLatencies(since: Date(epochMilliseconds: before))
                    }.sorted()
                    print(
                        String(
                            format:
                                "latency at an offered %.0f msg/s (%d requests): p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                            rate, latencies.count, Self.percentile(latencies, 0.50), Self.percentile(latencies, 0.99),
                            latencies.last ?? 0))
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }

        /// One throughput run of `count` requests (after `delivered` others), printed and returned.
        private func throughput(from senders: [Node], draft: RequestDraft, floor: Floor, delivered: Int) async throws
            -> Round
        {
            let sender = senders[0]
            let cpuBefore = Self.processCPUSeconds()
            let writtenBefore = Self.processBytesWritten()
            let start = ContinuousClock.now
            try await send(count, from: senders, draft: draft, concurrency: concurrency)
            let queued = ContinuousClock.now - start
            try await waitDelivered(sender, total: delivered + count)
            let elapsed = (ContinuousClock.now - start).seconds
            print(
                String(
                    format: "queued: %d requests validated, signed and committed in %.2f s (%.0f/s)", count,
                    queued.seconds, Double(count) / queued.seconds))
            let round = Round(
                messagesPerSecond: Double(count) / elapsed, floor: floor.cryptoMessages,
                cpu: (Self.processCPUSeconds() - cpuBefore) / Double(count))
            print(
                String(
                    format:
                        "throughput: %d requests sent, delivered, verified, stored and receipted in %.2f s: %.0f msg/s (%.0f%% of the crypto floor)",
                    count, elapsed, round.messagesPerSecond, 100 * round.fraction))
            print(
                String(
                    format:
                        "cpu: %.3f ms per message for both nodes (%.3f ms of it the 4 signature operations), %.2f cores busy",
                    round.cpu * 1000, 2000 / floor.cryptoMessages, round.cpu * round.messagesPerSecond))
            if let before = writtenBefore, let after = Self.processBytesWritten() {
                print(
                    String(
                        format: "disk: %.1f KiB written per message for both nodes (WAL and checkpoints)",
                        Double(after - before) / Double(count) / 1024))
            }
            return round
        }

        private func send(_ total: Int, from instances: [Node], draft: RequestDraft, concurrency: Int) async throws {
            // Callers spread over the instances, as a load balancer in front of them would.
            try await withThrowingTaskGroup(of: Void.self) { sends in
                var started = 0
                while started < min(concurrency, total) {
                    let instance = instances[started % instances.count]
                    sends.addTask { _ = try await instance.engine.commands.sendRequest(draft) }
                    started += 1
                }
                while try await sends.next() != nil {
                    if started < total {
                        let instance = instances[started % instances.count]
                        sends.addTask { _ = try await instance.engine.commands.sendRequest(draft) }
                        started += 1
                    }
                }
            }
        }

        private func waitDelivered(_ node: Node, total: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(600)
            // Counting every state would scan the whole outbox on each poll, and the scans would
            // take CPU from the run being measured; the pending entries have an index of their own.
            while try await node.store.read({ try $0.pendingOutboxCount() }) > 0 {
                guard ContinuousClock.now < deadline else {
                    throw RefGateError(.internalError, "not all messages were receipted within 10 minutes")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let delivered = try await node.store.read { try $0.outboxCounts()[.delivered] ?? 0 }
            guard delivered == total else {
                throw RefGateError(.internalError, "\(total - delivered) of \(total) messages were not receipted")
            }
        }

        /// User and system CPU time this process has used, in seconds. Wall-clock rates swing with
        /// the machine's neighbours; CPU per message is the steadier measure of the work.
        static func processCPUSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
            return seconds(usage.ru_utime) + seconds(usage.ru_stime)
        }

        /// Bytes this process has written to files (`write_bytes` of `/proc/self/io`), if known.
        static func processBytesWritten() -> Int? {
            guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return nil }
            return text.split(separator: "\n").first { $0.hasPrefix("write_bytes:") }
                .flatMap { Int($0.dropFirst("write_bytes:".count).trimmingCharacters(in: .whitespaces)) }
        }

        static func percentile(_ sorted: [Double], _ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }

        static func draft(to peer: AuthorityID) -> RequestDraft {
            RequestDraft(
                to: peer,
                candidate: .init(name: "Bench", registration: .init(body: "social-work-england", number: "SW1")),
                role: .qualifiedSocialWorker, agency: .init(name: "Agency"),
                reference: .init(
                    refereeName: "R", refereeStatedRole: "Team Manager", team: "T", placementStart: "2025-01-01",
                    placementEnd: "2025-12-31", dateGiven: "2026-01-10"),
                requester: .init(name: "Q", role: "Officer", email: "q@example.org"))
        }
    }

    /// What the work itself costs on this machine, measured in the same run.
    struct Floor {
        var signs: Double
        var verifies: Double
        var commits: Double

        /// Messages per second the signatures alone allow: 2 signs and 2 verifies a message,
        /// spread over 2 cores.
        var cryptoMessages: Double { 2 / (2 / signs + 2 / verifies) }

        /// Prints the floor line.
        func print() {
            Swift.print(
                String(
                    format:
                        "floor: P-256 sign %.0f/s, verify %.0f/s per core; fsync'd commits %.0f/s → crypto floor %.0f msg/s on 2 cores, ungrouped commit floor %.0f msg/s",
                    signs, verifies, commits, cryptoMessages, commits / 3))
        }

        /// Measures the floor; `file` names a fresh database for the commit rate.
        static func measure(in folder: String, file: String = "floor") throws -> Floor {
            let key = P256.Signing.PrivateKey()
            let payload = Data(repeating: 0x5a, count: 1_500)
            let n = 3_000
            var start = ContinuousClock.now
            var signature = try key.signature(for: payload)
            for _ in 0..<n { signature = try key.signature(for: payload) }
            let signs = Double(n) / (ContinuousClock.now - start).seconds
            start = ContinuousClock.now
            var valid = true
            for _ in 0..<n { valid = valid && key.publicKey.isValidSignature(signature, for: payload) }
            let verifies = Double(n) / (ContinuousClock.now - start).seconds
            let store = try Store(path: folder + "/\(file).sqlite")
            let commitCount = 1_000
            start = ContinuousClock.now
            for index in 0..<commitCount {
                try store.writeSync { tx in try tx.insertDirectory(version: index, digest: "d", at: Date()) }
            }
            let commits = Double(commitCount) / (ContinuousClock.now - start).seconds
            return Floor(signs: signs, verifies: verifies, commits: commits)
        }
    }
}

extension BenchCommand.Exchange {
    /// What one throughput run measured.
    struct Round {
        var messagesPerSecond: Double
        /// The crypto floor measured before the run, messages per second.
        var floor: Double
        /// CPU seconds per message, both nodes.
        var cpu: Double

        var fraction: Double { messagesPerSecond / floor }

        /// Medians and ranges over the runs.
        static func summary(_ rounds: [Round]) {
            func stats(_ values: [Double]) -> (median: Double, low: Double, high: Double) {
                let sorted = values.sorted()
                let middle = sorted.count / 2
                let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
                return (median, sorted.first!, sorted.last!)
            }
            let rate = stats(rounds.map(\.messagesPerSecond))
            let fraction = stats(rounds.map { 100 * $0.fraction })
            let cpu = stats(rounds.map { 1000 * $0.cpu })
            print(
                String(
                    format:
                        "over %d runs: median %.0f msg/s (%.0f–%.0f), %.0f%% of the crypto floor (%.0f–%.0f%%), %.3f ms CPU per message (%.3f–%.3f)",
                    rounds.count, rate.median, rate.low, rate.high, fraction.median, fraction.low, fraction.high,
                    cpu.median, cpu.low, cpu.high))
        }
    }
}
