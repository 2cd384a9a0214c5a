import ArgumentParser
import Crypto
import Foundation
import RefGateCore
import RefGateNode
import RefGateStore

extension BenchCommand {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Backup and restore of a node holding N cases: time and size, plain and sealed.")

        @Option(help: "Cases in the node's database (each with its request, receipt and outbox row).")
        var cases: Int = 100_000

        func run() async throws {
            guard (1...5_000_000).contains(cases) else { throw ValidationError("--cases is 1 to 5,000,000") }
            let (region, _) = try BenchCommand.region()
            let configuration = try NodeConfiguration.load(path: region.configA)
            let fill = ContinuousClock.now
            let store = try Store(configuration.database)
            // Signed messages are base64url, which compresses little: 256 random ones of a
            // request's size, so the backup's size is a real one.
            let pool = (0..<256).map { _ in
                Data((0..<1125).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            }
            var index = 0
            while index < cases {
                let now = Date()
                let batch = min(5000, cases - index)
                let first = index
                try store.writeSync { tx in
                    for number in first..<first + batch {
                        let id = "case-\(number)-\(UUID().uuidString)"
                        try tx.insert(
                            CaseRecord(
                                id: id, side: .requester, peer: region.b, status: .awaitingResponse,
                                candidateName: "Candidate \(number)", candidateRole: .qualifiedSocialWorker,
                                respondBy: now.addingTimeInterval(172_800), requestMessageID: "m-\(id)",
                                createdAt: now, updatedAt: now))
                        try tx.insert(
                            MessageRecord(
                                id: "m-\(id)", caseID: id, direction: .outgoing, kind: .verificationRequest,
                                from: region.a, to: region.b, sentAt: now, recordedAt: now,
                                jws: pool[number % 256], digest: "d\(number)"))
                        try tx.enqueue(
                            messageID: "m-\(id)", peer: region.b, caseID: id, notBefore: now,
                            expiresAt: now.addingTimeInterval(7 * 86_400))
                        try tx.markDelivered(
                            ReceiptRecord(
                                messageID: "m-\(id)", receiptID: "r-\(id)", jws: pool[(number + 7) % 256],
                                receivedAt: now),
                            at: now)
                    }
                }
                index += batch
            }
            let databaseBytes =
                Self.size(configuration.database.description) + Self.size(configuration.database.description + "-wal")
            print(
                String(
                    format: "filled %d cases in %.1f s; database %.1f MB", cases, (ContinuousClock.now - fill).seconds,
                    Double(databaseBytes) / 1e6))

            let plain = region.root + "/plain.backup"
            var start = ContinuousClock.now
            let manifest = try NodeBackup.take(
                configurationPath: region.configA, configuration: configuration, recipient: nil, to: plain, now: Date())
            print(
                String(
                    format: "backup (plain, another process's view of the file): %.2f s, %.1f MB, %d audit entries",
                    (ContinuousClock.now - start).seconds, Double(Self.size(plain)) / 1e6,
                    manifest.database.auditEntries))

            let operatorKey = P256.KeyAgreement.PrivateKey()
            let sealed = region.root + "/sealed.backup"
            start = ContinuousClock.now
            _ = try NodeBackup.take(
                configurationPath: region.configA, configuration: configuration, store: store,
                recipient: operatorKey.publicKey, to: sealed, now: Date())
            print(
                String(
                    format: "backup (sealed, from the running store): %.2f s, %.1f MB",
                    (ContinuousClock.now - start).seconds, Double(Self.size(sealed)) / 1e6))

            var elsewhere = configuration
            elsewhere.database = .sqlite(region.root + "/restored/refgate.sqlite")
            elsewhere.localListener.port = 0
            start = ContinuousClock.now
            let restored = try await NodeBackup.restore(
                from: sealed, key: operatorKey, configuration: elsewhere, force: false, withFiles: false, now: Date())
            print(
                String(
                    format: "restore (sealed): %.2f s; %d cases, %d messages", (ContinuousClock.now - start).seconds,
                    restored.manifest.database.cases, restored.manifest.database.messages))
        }

        static func size(_ path: String) -> Int {
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
    }
}
