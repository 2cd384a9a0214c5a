import ArgumentParser
import RefGateBuildInfo

@main
struct RefGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refgate",
        abstract: "Signed reference-verification exchange between local authorities.",
        version: RefGateVersion.description,
        subcommands: [
            PKICommand.self, DirectoryCommand.self, NodeCommand.self, ConfigCommand.self, BackupCommand.self,
            RestoreCommand.self, RecoverCommand.self,
            RequestCommand.self,
            RespondCommand.self,
            CaseCommand.self, OutstandingCommand.self, EscalationsCommand.self, DeliveriesCommand.self,
            CandidateCommand.self, AgencyCommand.self, RegionCommand.self,
            UserCommand.self, CalendarCommand.self, AuditCommand.self, EvidenceCommand.self, RetentionCommand.self,
            SubjectCommand.self, StoreCommand.self,
            DemoCommand.self,
            BenchCommand.self,
        ])
}
