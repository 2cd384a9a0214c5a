import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// Reads for people and operators: cases, a case's detail, escalations, a candidate's
/// standing, delivery health and problems. Nothing here writes.
public struct Queries: Sendable {
    let authority: AuthorityID
    let store: Store
    let directory: DirectoryHolder
    let clock: any NodeClock
    let policy: Policy

    // MARK: Reading

    /// Every member's name by authority id, from the directory in force.
    public func authorityNames() async -> [AuthorityID: String] {
        await directory.current.directory.authorities.reduce(into: [:]) { $0[$1.id] = $1.name }
    }

    /// A case with everything this node holds about it.
    public func detail(caseID: String) async throws -> CaseDetail {
        let now = clock.now()
        let policy = self.policy
        return try await store.read { reader in
            guard let record = try reader.case(caseID) else {
                throw RefGateError(.unknownCase, "no case \(caseID) at this node")
            }
            let messages = try reader.messages(caseID: caseID)
            var request: VerificationRequest?
            var response: VerificationResponse?
            var entries: [CaseDetail.Entry] = []
            for message in messages {
                if let jws = try? JWS(compact: message.jws) {
                    switch try? RefGateMessage.decode(payload: jws.payload) {
                    case .request(let r)?: request = r
                    case .response(let r)?: response = r
                    default: break
                    }
                }
                entries.append(
                    CaseDetail.Entry(
                        message: MessageView(message),
                        receipt: try reader.receipt(messageID: message.id).map(ReceiptView.init),
                        delivery: message.direction == .outgoing
                            ? try reader.outboxEntry(messageID: message.id).map(DeliveryView.init) : nil))
            }
            var detail = CaseDetail(case: CaseView(record), request: request, response: response, messages: entries)
            detail.escalations = try reader.escalations(caseID: caseID).sorted { $0.level < $1.level }.map(
                EscalationView.init)
            detail.timeline = try reader.auditRows(caseID: caseID).compactMap { try? AuditEntry.decode($0.entry) }
            detail.decisions = try reader.decisions(caseID: caseID).map(DecisionView.init)
            detail.legalHold = try reader.legalHold(caseID: caseID).map(LegalHoldView.init)
            if record.status == .awaitingResponse {
                detail.outstanding = OutstandingCase(
                    record, escalationDue: detail.escalations.last?.dueAt, policy: policy, now: now)
            }
            return detail
        }
    }

    /// Escalations held by this node, newest first.
    public func escalations(openOnly: Bool = false, role: EscalationRole? = nil, receivedOnly: Bool = false)
        async throws -> [EscalationView]
    {
        try await store.read {
            try $0.escalations(openOnly: openOnly, role: role, receivedOnly: receivedOnly).map(EscalationView.init)
        }
    }

    /// One escalation, if held.
    public func escalation(_ id: String) async throws -> EscalationView? {
        try await store.read { try $0.escalation(id).map(EscalationView.init) }
    }

    /// Appointments, newest first; with `beforeClearance`, only those recorded before the
    /// candidate was cleared (a head of service's override).
    public func appointments(beforeClearance: Bool = false, registration: String? = nil) async throws
        -> [AppointmentView]
    {
        try await store.read { try $0.appointments(registration: registration) }.map(AppointmentView.init)
            .filter { !beforeClearance || $0.beforeClearance }
    }

    /// Whether a candidate may be appointed (paras 7–9), from the references this authority
    /// sent for them and their safer-recruitment checklist.
    public func candidateStatus(registration: String) async throws -> AppointmentGate.Status {
        let status = try await store.read { try Self.gate(registration: registration, reader: $0) }
        guard let status else {
            throw RefGateError(.notFound, "no candidate with registration \(registration) at this node")
        }
        return status
    }

    /// The gate for a candidate, read inside any transaction (alerts decide from it as they
    /// commit); nil when the node holds nothing about them.
    static func gate(registration: String, reader: StoreReader) throws -> AppointmentGate.Status? {
        try gate(registration, holdings: reader.candidateHoldings([registration])[registration])
    }

    /// The gate for a candidate from what the store holds about them (read for a whole page at
    /// once by `StoreReader.candidateHoldings`); nil when it holds nothing that gates.
    static func gate(_ registration: String, holdings: CandidateHoldings?) -> AppointmentGate.Status? {
        guard let holdings else { return nil }
        let (cases, checklist, offline) = (holdings.cases, holdings.checklist, holdings.offline)
        guard !cases.isEmpty || checklist != nil || !offline.isEmpty else { return nil }
        var status = AppointmentGate.evaluate(
            registration: registration, name: cases.last?.candidateName, role: cases.last?.candidateRole,
            references: cases.map {
                AppointmentGate.Reference(caseId: $0.id, peer: $0.peer, status: $0.status, respondBy: $0.respondBy)
            },
            checklist: checklist?.checklist ?? .empty, offline: offline)
        status.agency = holdings.agency
        status.agencyChecks = holdings.agencyChecks
        status.agencyNotices = holdings.agencyNotices.map(\.kind)
        return status
    }

    /// Requests awaiting their answer in both directions, most urgent first (red, then amber,
    /// then green; earliest deadline first within each), narrowed by `filter`'s side, peer,
    /// candidate and rating: ordered and paged in SQL, working time counted only for the page.
    /// Without `limit`, every one.
    public func outstanding(_ filter: CaseFilter = CaseFilter(), limit: Int? = nil, offset: Int = 0) async throws
        -> Page<OutstandingCase>
    {
        if let limit, !(1...500).contains(limit) {
            throw RefGateError(.invalidInput, "limit must be 1 to 500")
        }
        guard offset >= 0 else { throw RefGateError(.invalidInput, "offset must be 0 or more") }
        let now = clock.now()
        let policy = self.policy
        let amberUntil = self.amberUntil(now)
        let pageLimit = limit ?? Int(Int32.max)
        let (rows, total) = try await store.read { reader in
            try reader.outstandingPage(filter, now: now, amberUntil: amberUntil, limit: pageLimit, offset: offset)
        }
        let items = rows.map { OutstandingCase($0.record, escalationDue: $0.escalationDue, policy: policy, now: now) }
        return Page(
            items: items, total: total, offset: offset, limit: pageLimit,
            nextOffset: offset + items.count < total ? offset + items.count : nil)
    }

    /// How many requests await their answer, by side, peer and rating, counted in SQL.
    public func outstandingCounts() async throws -> [OutstandingCount] {
        let now = clock.now()
        let amberUntil = self.amberUntil(now)
        return try await store.read { try $0.outstandingCounts(now: now, amberUntil: amberUntil) }
    }

    /// The latest instant still within the amber threshold of working time from `now`: a
    /// deadline after it is green.
    func amberUntil(_ now: Date) -> Date {
        policy.calendar.latest(withinWorkingTime: policy.amberWorkingDays * policy.calendar.workingDay, of: now)
    }

    /// Delivery health of every peer.
    public func deliveryHealth() async throws -> [PeerDeliveryHealth] {
        try await store.read { try $0.peerHealth() }
    }

    /// Parked, expired and repeatedly failing messages.
    public func deliveryProblems() async throws -> [DeliveryProblem] {
        try await store.read { try $0.deliveryProblems() }.map {
            DeliveryProblem(entry: DeliveryView($0.entry), kind: $0.kind)
        }
    }
}
