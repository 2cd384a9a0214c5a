import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// A case whose personal data a retention run removes (or, in a dry run, would remove).
public struct RetentionItem: Codable, Sendable, Hashable {
    /// The case.
    public var caseID: String
    /// Its status when it closed.
    public var status: CaseStatus
    /// When it closed.
    public var closedAt: Date
    /// When its data became due for removal.
    public var dueAt: Date
    /// Which period applied.
    public var basis: RetentionRule.Basis
    /// What was replaced (nil in a dry run).
    public var purged: PurgeResult?
}

/// What a retention run did.
public struct RetentionReport: Codable, Sendable, Hashable {
    /// True for a dry run (nothing changed).
    public var dryRun: Bool
    /// The rule applied.
    public var rule: RetentionRule
    /// Cases purged (or that would be).
    public var cases: [RetentionItem]
}

/// The personal data this node holds about candidates: removed when retention says
/// (UK GDPR storage limitation), and gathered for a subject access request (Art. 15).
public struct PersonalData: Sendable {
    let authority: AuthorityID
    let store: Store
    let clock: any NodeClock
    let retention: RetentionRule
    let logger: Logger

    /// Purges every closed case whose retention period has passed; a dry run only lists them.
    /// `actor` is who asked (a person, through the API); nil for the daily run.
    public func runRetention(dryRun: Bool, by actor: AuditActor? = nil) async throws -> RetentionReport {
        let now = clock.now()
        let rule = retention
        let due = try await store.read { reader in
            let (decided, held) = try reader.decidedAndHeldCaseIDs()
            // A legal hold keeps a case whatever its period; lifting it lets the rule apply again.
            return try reader.closedUnpurgedCases().filter { !held.contains($0.id) }.compactMap {
                record -> RetentionItem? in
                let concern = RetentionRule.isConcern(
                    status: record.status, highestEscalationLevel: record.highestEscalationLevel,
                    decided: decided.contains(record.id))
                guard
                    let (dueAt, basis) = rule.purgeDue(
                        status: record.status, escalationLevel: record.escalationLevel, closedAt: record.updatedAt,
                        concern: concern),
                    dueAt <= now
                else { return nil }
                return RetentionItem(
                    caseID: record.id, status: record.status, closedAt: record.updatedAt, dueAt: dueAt, basis: basis,
                    purged: nil)
            }
        }
        guard !dryRun else { return RetentionReport(dryRun: dryRun, rule: rule, cases: due) }
        // Concerns about agencies (para 3) are kept for the concern period, then deleted.
        let concernCutoff = now.addingTimeInterval(-Double(rule.concernYears) * 365.25 * 86_400)
        let (purged, concerns) = try await store.write { tx in
            (
                try due.map { item in
                    var item = item
                    item.purged = try tx.purgePersonalData(caseID: item.caseID, at: now, actor: actor)
                    return item
                }, try tx.purgeAgencyConcerns(recordedBefore: concernCutoff)
            )
        }
        guard !purged.isEmpty || concerns > 0 else { return RetentionReport(dryRun: false, rule: rule, cases: []) }
        logger.notice(
            "retention run purged personal data",
            metadata: ["cases": "\(purged.count)", "agencyConcerns": "\(concerns)"])
        return RetentionReport(dryRun: false, rule: rule, cases: purged)
    }

    /// Everything this node holds about the candidate with `registration` (UK GDPR Art. 15):
    /// cases, messages (decoded), escalations, notifications, checklist and audit entries.
    /// The export itself is an audit entry.
    public func subjectExport(registration: String, by actor: AuditActor? = nil) async throws -> SubjectExport {
        let now = clock.now()
        let export = try await store.read { reader -> SubjectExport in
            let cases = try reader.cases(candidateRegistration: registration)
            var items: [SubjectExport.Case] = []
            for record in cases {
                let messages = try reader.messages(caseID: record.id).map { message -> SubjectExport.Message in
                    let payload = (try? JWS(compact: message.jws)).flatMap {
                        try? JSONValue.parse($0.payload)
                    }
                    return SubjectExport.Message(
                        id: message.id, kind: message.kind, direction: message.direction.rawValue,
                        from: message.from, to: message.to, sentAt: message.sentAt, digest: message.digest,
                        payload: payload)
                }
                let audit = try reader.auditRows(caseID: record.id).compactMap { try? AuditEntry.decode($0.entry) }
                items.append(
                    SubjectExport.Case(
                        record: CaseView(record), messages: messages,
                        escalations: try reader.escalations(caseID: record.id).map(EscalationView.init),
                        notifications: try reader.notifications(caseID: record.id), audit: audit,
                        decisions: try reader.decisions(caseID: record.id).map(DecisionView.init)))
            }
            return SubjectExport(
                registration: registration, exportedAt: now, authority: authority, cases: items,
                checklist: try reader.checklist(registration: registration),
                offlineVerifications: try reader.offlineVerifications(registration: registration),
                appointments: try reader.appointments(registration: registration).map(AppointmentView.init),
                candidateEmail: try reader.candidateContact(registration: registration)?.email,
                agencyChecks: try reader.agencyChecks(registration: registration),
                agencyNotices: try reader.agencyNotices(registration: registration))
        }
        try await store.write { tx in
            try tx.appendAudit(
                AuditEvent(
                    .subjectExported, subject: "sha256:" + Thumbprint.sha256(Data(registration.utf8)),
                    actor: actor, detail: ["cases": "\(export.cases.count)"]),
                at: now)
        }
        return export
    }
}

/// A subject access export: every record this node holds about one candidate.
public struct SubjectExport: Codable, Sendable {
    /// The candidate's registration number.
    public var registration: String
    /// When it was made.
    public var exportedAt: Date
    /// The authority holding the data.
    public var authority: AuthorityID
    /// Each case about the candidate.
    public var cases: [Case]
    /// The para 9 checklist, if recorded.
    public var checklist: ChecklistRecord?
    /// References verified about them outside the signed exchange.
    public var offlineVerifications: [OfflineVerification] = []
    /// Their appointments recorded here.
    public var appointments: [AppointmentView] = []
    /// The candidate's address the recruiter gave for the para 8 notices.
    public var candidateEmail: String? = nil
    /// The agency's para 9 confirmation for the candidate.
    public var agencyChecks: AgencyChecks? = nil
    /// The para 8 notices sent about the candidate.
    public var agencyNotices: [AgencyNoticeRecord] = []

    /// One case and everything attached to it.
    public struct Case: Codable, Sendable {
        /// The case as stored.
        public var record: CaseView
        /// Its messages, with their content.
        public var messages: [Message]
        /// Its escalations.
        public var escalations: [EscalationView]
        /// Notifications sent about it.
        public var notifications: [NotificationRecord]
        /// Its audit entries.
        public var audit: [AuditEntry]
        /// Para 14 decisions on it.
        public var decisions: [DecisionView] = []
    }

    /// A message and its content (nil once retention removed it).
    public struct Message: Codable, Sendable {
        /// Message id.
        public var id: String
        /// Kind.
        public var kind: MessageKind
        /// `in` or `out`.
        public var direction: String
        /// Sender.
        public var from: AuthorityID
        /// Addressee.
        public var to: AuthorityID
        /// When signed.
        public var sentAt: Date
        /// SHA-256 of the signed bytes.
        public var digest: String
        /// The signed JSON.
        public var payload: JSONValue?
    }
}

extension PersonalData {
    /// Refreshes the store's planner statistics (after retention has deleted what it deletes).
    public func refreshStatistics() async throws {
        let store = self.store
        try await Task.detached { try store.refreshStatistics() }.value
    }
}
