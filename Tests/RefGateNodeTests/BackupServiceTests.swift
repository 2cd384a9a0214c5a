import Foundation
import RefGateCore
import RefGateStore
import RefGateTestSupport
import Testing

@testable import RefGateNode

/// Scheduled backups: taken from the running node's store while it writes, named by time,
/// the newest `keep` kept, each one a whole backup that opens and restores.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BackupServiceTests {
    @Test func scheduledBackupsAreTakenWhileTheNodeWritesAndTheNewestAreKept() async throws {
        let region = try TestRegion()
        var configuration = try region.configuration(TestRegion.manchester)
        configuration.backup = BackupSettings(folder: region.folder.file("backups"), intervalHours: 24, keep: 2)
        #expect(configuration.backup?.interval == 86_400)
        let a = try await region.makeNode(configuration: configuration)
        let b = try await region.makeNode(TestRegion.salford)
        let service = BackupService(
            settings: try #require(configuration.backup), configuration: configuration,
            configurationPath: region.configPaths[TestRegion.manchester], store: a.store, clock: region.clock,
            signal: WakeSignal(), logger: .init(label: "test"))
        var taken: [String] = []
        try await withRunning([a, b]) {
            for round in 0..<3 {
                // Writes going on while the snapshot is taken.
                async let sent = a.engine.commands.sendRequest(TestRegion.draft())
                taken.append(try service.takeOne())
                _ = try await sent
                region.clock.advance(by: 3600)
                #expect(taken.count == round + 1)
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: region.folder.file("backups")).sorted()
        #expect(left == taken.suffix(2).map { ($0 as NSString).lastPathComponent }, "the newest two are kept")
        let folderMode =
            try FileManager.default.attributesOfItem(atPath: region.folder.file("backups"))[
                .posixPermissions] as? Int
        #expect(folderMode == 0o700)
        let (manifest, entries) = try NodeBackup.open(try #require(taken.last), key: nil)
        #expect(manifest.authority == TestRegion.manchester && manifest.database.cases >= 2)
        #expect(entries["node.json"] != nil && entries["keys/auth.key"] == nil, "no keys in an unsealed backup")
        #expect(manifest.database.migrations.last == Store.migrations.last)
    }
}
