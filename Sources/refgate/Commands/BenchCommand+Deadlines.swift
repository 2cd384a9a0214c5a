import ArgumentParser
import Foundation
import Logging
import RefGateCore
import RefGateNode
import RefGateStore
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

extension BenchCommand {
    struct Deadlines: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load open cases into a node's store and measure the deadline scheduler at that size.",
            discussion: """
                Reports: load time, the node's memory with the store open and all services running, CPU used
                while idle, time to find the next deadline, the cost of a tick with nothing due (at the full
                size and at a small one), and the time to process a batch of deadlines falling due at once
                (each becomes a signed level 1 escalation notice, committed with its outbox row).
                """)

        @Option(help: "Open cases to load.") var cases: Int = 1_000_000
        @Option(help: "Deadlines falling due at once.") var due: Int = 10_000
        @Option(help: "Seconds to watch the idle node.") var idleSeconds: Int = 10

        func run() async throws {
            let (region, logger) = try BenchCommand.region()
            let (root, b) = (region.root, region.b)
            let configuration = try NodeConfiguration.load(path: region.configA)
            let now = Date()
            print("store: \(configuration.database)")

            // Open cases with deadlines spread over the next 60 days, 10,000 per transaction.
            let store = try Store(configuration.database)
            let loadStart = ContinuousClock.now
            var loaded = 0
            while loaded < cases {
                let count = min(10_000, cases - loaded)
                let first = loaded
                try store.writeSync { tx in
                    for index in first..<(first + count) {
                        let respondBy = now.addingTimeInterval(3600 + Double(index % 5_184_000))
                        try tx.insert(
                            CaseRecord(
                                id: String(format: "00000000-0000-4000-8000-%012d", index), side: .requester,
                                peer: b, status: .awaitingResponse, candidateName: "Candidate \(index)",
                                candidateRole: .qualifiedSocialWorker, candidateRegistration: "SW\(index)",
                                respondBy: respondBy, requestMessageID: "request-\(index)", createdAt: now,
                                updatedAt: now))
                    }
                }
                loaded += count
            }
            let loadTime = (ContinuousClock.now - loadStart).seconds
            print(
                String(
                    format: "loaded %d open cases in %.1f s (%.0f cases/s)", cases, loadTime, Double(cases) / loadTime))

            // Finding the next deadline and an empty tick: indexed, independent of the number of cases.
            let findStart = ContinuousClock.now
            for _ in 0..<1000 { _ = try store.readSync { try $0.nextCaseDue() } }
            let find = (ContinuousClock.now - findStart).seconds / 1000
            let past = now.addingTimeInterval(-7 * 86_400)  // before every deadline: nothing due
            let emptyStart = ContinuousClock.now
            for _ in 0..<1000 { _ = try store.readSync { try $0.dueCaseIDs(now: past, limit: 200) } }
            let emptyTick = (ContinuousClock.now - emptyStart).seconds / 1000
            print(
                String(
                    format: "next deadline found in %.1f µs; a tick with nothing due costs %.1f µs", find * 1e6,
                    emptyTick * 1e6))

            let small = try Store(path: root + "/small.sqlite")
            try small.writeSync { tx in
                for index in 0..<10_000 {
                    try tx.insert(
                        CaseRecord(
                            id: "small-\(index)", side: .requester, peer: b, status: .awaitingResponse,
                            candidateName: "C", candidateRole: .qualifiedSocialWorker,
                            respondBy: now.addingTimeInterval(3600 + Double(index)), requestMessageID: "r-\(index)",
                            createdAt: now, updatedAt: now))
                }
            }
            let smallStart = ContinuousClock.now
            for _ in 0..<1000 {
                _ = try small.readSync { try $0.nextCaseDue() }
                _ = try small.readSync { try $0.dueCaseIDs(now: past, limit: 200) }
            }
            let smallTick = (ContinuousClock.now - smallStart).seconds / 1000
            print(String(format: "the same at 10,000 cases: %.1f µs (find + empty tick)", smallTick * 1e6))

            // The node itself, all services running, idle: memory and CPU.
            let node = try await Node.make(configuration: configuration, logger: logger)
            let group = ServiceGroup(configuration: .init(services: node.services, logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                _ = try await node.peerPort.value()
                try await Task.sleep(for: .seconds(1))
                let cpuBefore = Self.cpuSeconds()
                try await Task.sleep(for: .seconds(idleSeconds))
                let cpuIdle = Self.cpuSeconds() - cpuBefore
                print(
                    String(
                        format:
                            "node running with %d open cases: RSS %.0f MB; CPU while idle %.3f s over %d s (%.2f%%)",
                        cases, Self.residentMegabytes(), cpuIdle, idleSeconds,
                        cpuIdle / Double(idleSeconds) * 100))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }

            // Deadlines falling due at once, in a store of their own.
            let tickStore = try Store(path: root + "/tick.sqlite")
            try tickStore.writeSync { tx in
                for index in 0..<due {
                    try tx.insert(
                        CaseRecord(
                            id: String(format: "10000000-0000-4000-8000-%012d", index), side: .requester, peer: b,
                            status: .awaitingResponse, candidateName: "C", candidateRole: .qualifiedSocialWorker,
                            respondBy: now.addingTimeInterval(-60), requestMessageID: "r-\(index)", createdAt: now,
                            updatedAt: now))
                }
            }
            var tickConfiguration = configuration
            tickConfiguration.database = .sqlite(root + "/tick.sqlite")
            let tickNode = try await Node.make(configuration: tickConfiguration, logger: logger)
            let tickStart = ContinuousClock.now
            let handled = try await tickNode.scheduler.tick()
            let tickTime = (ContinuousClock.now - tickStart).seconds
            print(
                String(
                    format:
                        "%d deadlines due at once: processed in %.2f s (%.0f/s), each a signed L1 notice committed with its outbox row",
                    handled, tickTime, Double(handled) / tickTime))
        }

        static func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
                + Double(usage.ru_stime.tv_usec) / 1e6
        }

        static func residentMegabytes() -> Double {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
            else { return 0 }
            return kilobytes / 1024
        }
    }
}
