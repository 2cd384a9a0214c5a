import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// The region's picture from signed figures (paras 1 and 3): each node counts its own months
/// and signs them to the coordinator the directory names; the coordinator keeps every message
/// with its signature and builds the regional views from the newest of each member and month.
/// No names of people and no registration numbers leave a node.
public struct RegionalExchange: Sendable {
    let authority: AuthorityID
    let store: Store
    let directory: DirectoryHolder
    let clock: any NodeClock
    let outbox: Outbox
    let options: RegionOptions
    let logger: Logger

    /// Whether the directory in force names this node the region's coordinator.
    public var isCoordinator: Bool {
        get async { await directory.current.directory.coordinator == authority }
    }

    /// This node's figures for one month, as of now.
    public func figures(for period: RegionalPeriod, to coordinator: AuthorityID) async throws -> RegionalFigures {
        let now = clock.now()
        let (rows, concerns, agencies, cleared) = try await store.read { reader in
            let rows = try reader.regionalCaseRows(from: period.start, to: period.end)
            let concerns = try reader.agencyConcernCounts(from: period.start, to: period.end)
            var agencies: [CompaniesHouseNumber: AgencyRecord] = [:]
            for number in Set(rows.compactMap(\.agency)).union(concerns.keys) {
                agencies[number] = try reader.currentAgency(number)
            }
            var cleared: Set<String> = []
            for registration in Set(rows.filter { $0.side == .requester }.compactMap(\.registration))
            where try Queries.gate(registration: registration, reader: reader)?.clearance == .cleared {
                cleared.insert(registration)
            }
            return (rows, concerns, agencies, cleared)
        }
        var peers: [AuthorityID: RegionalFigures.Peer] = [:]
        var byAgency: [CompaniesHouseNumber: (RegionalFigures.Agency, Set<String>, Set<String>)] = [:]
        for row in rows {
            var peer = peers[row.peer] ?? .init(authority: row.peer)
            let inTime = row.answeredAt.map { $0 <= row.respondBy }
            switch row.side {
            case .requester:
                peer.requestsSent += 1
                switch inTime {
                case true?: peer.answeredInTime += 1
                case false?: peer.answeredLate += 1
                case nil: if row.respondBy < now { peer.overdueUnanswered += 1 }
                }
                if row.highestEscalationLevel >= 1 { peer.escalatedLevel1 += 1 }
                if row.highestEscalationLevel >= 2 { peer.escalatedLevel2 += 1 }
                if row.highestEscalationLevel >= 3 { peer.laddersSpent += 1 }
                if let outcome = row.status.outcome { peer.outcomes.add(outcome) }
                if let number = row.agency {
                    let current = agencies[number]?.number ?? number
                    var entry =
                        byAgency[current]
                        ?? (
                            .init(companiesHouseNumber: current, name: agencies[number]?.name ?? current.rawValue), [],
                            []
                        )
                    entry.0.requests += 1
                    if let outcome = row.status.outcome { entry.0.outcomes.add(outcome) }
                    if let registration = row.registration {
                        entry.1.insert(registration)
                        if cleared.contains(registration) { entry.2.insert(registration) }
                    }
                    byAgency[current] = entry
                }
            case .responder:
                peer.requestsReceived += 1
                switch inTime {
                case true?: peer.weAnsweredInTime += 1
                case false?: peer.weAnsweredLate += 1
                case nil: break
                }
            }
            peers[row.peer] = peer
        }
        for (number, counts) in concerns {
            let current = agencies[number]?.number ?? number
            var entry =
                byAgency[current]
                ?? (.init(companiesHouseNumber: current, name: agencies[number]?.name ?? current.rawValue), [], [])
            entry.0.concerns.merge(counts, uniquingKeysWith: +)
            byAgency[current] = entry
        }
        let agencyFigures = byAgency.values.map { entry -> RegionalFigures.Agency in
            var figures = entry.0
            figures.candidates = entry.1.count
            figures.candidatesCleared = entry.2.count
            return figures
        }
        return RegionalFigures(
            id: TimeOrderedID.make(), from: authority, to: coordinator, sentAt: now, period: period.description,
            final: period.end <= now, peers: peers.values.sorted { $0.authority.rawValue < $1.authority.rawValue },
            agencies: agencyFigures.sorted { $0.companiesHouseNumber < $1.companiesHouseNumber })
    }

    /// Signs this month's figures and last month's, and sends them to the coordinator (the
    /// coordinator keeps its own at once). Returns how many; none when the directory names no
    /// coordinator.
    @discardableResult
    public func sendFigures() async throws -> Int {
        guard let coordinator = await directory.current.directory.coordinator else { return 0 }
        let now = clock.now()
        let current = RegionalPeriod(containing: now)
        var sent = 0
        for period in [current.previous, current] {
            let figures = try await figures(for: period, to: coordinator)
            let outgoing = try outbox.prepare(
                figures, id: figures.id, caseID: nil, kind: .regionalFigures, to: coordinator, now: now)
            try await store.write { tx in
                if coordinator == self.authority {
                    try tx.insert(outgoing.record)
                    try tx.insert(RegionalFiguresRecord(messageID: figures.id, figures: figures, receivedAt: now))
                } else {
                    try self.outbox.queue(outgoing, tx: tx)
                }
            }
            sent += 1
        }
        logger.info(
            "regional figures signed", metadata: ["coordinator": "\(coordinator)", "months": "\(sent)"])
        return sent
    }
}

extension CaseStatus {
    /// The answer's outcome, if the case is answered.
    var outcome: VerificationOutcome? {
        switch self {
        case .awaitingResponse: nil
        case .verified: .verified
        case .notVerified: .notVerified
        case .refereeIneligible: .refereeIneligible
        case .unableToVerify: .unableToVerify
        }
    }
}
