import Foundation

@testable import RefGateNode

// Tests build the APIs over a whole test engine; the node hands each only its parts.
extension LocalAPI {
    init(
        engine: CaseEngine, token: String, status: @escaping @Sendable () async throws -> NodeStatus,
        installDirectory: @escaping @Sendable (String) async throws -> Int
    ) {
        self.init(
            commands: engine.commands, queries: engine.queries, audit: engine.audit,
            personalData: engine.personalData, accounts: engine.accounts, agencies: engine.agencies,
            region: engine.region, token: token, status: status,
            installDirectory: installDirectory)
    }
}

extension Dashboard {
    init(engine: CaseEngine, health: NodeHealth?, signIn: any SignInProvider, authorityName: String) throws {
        try self.init(
            commands: engine.commands, queries: engine.queries, accounts: engine.accounts,
            agencies: engine.agencies, region: engine.region, clock: engine.context.clock, health: health,
            signIn: signIn, authorityName: authorityName)
    }
}
