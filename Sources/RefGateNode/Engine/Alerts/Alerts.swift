import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust

/// Tells people that work has arrived and that it ended (the procedure's urgency, para 6): one
/// e-mail template each, planned in the transaction that causes it and sent by the
/// notification queue. Recipients are the users who hold the role, less those who turned the
/// alert off; the requester's own address (in the request) too.
struct Alerts: Sendable {
    let planner: NotificationPlanner
    let policy: Policy
    /// Para 8 notice templates an authority chose (the default where absent).
    var templates: [AgencyNotice.Kind: (subject: String, body: String)] = [:]

    /// A request arrived: the responders who may answer it (para 5's level, or none recorded).
    /// `listening`: the users not revoked who did not turn this alert off, when the caller read
    /// them already (a batch of requests reads them once).
    func requestArrived(
        _ request: VerificationRequest, tx: StoreTransaction, now: Date, listening: [UserRecord]? = nil
    ) throws {
        let minimum = ResponderRule.minimumRole(for: request.role)
        let to = try recipients(.requestArrived, tx: tx, listening: listening) { user in
            user.role == .responder && (user.effectiveSeniority.map { $0.managerRole >= minimum } ?? true)
        }
        let remaining = policy.calendar.workingTime(from: now, to: request.respondBy) / 3600
        try send(
            .requestArrived, caseID: request.caseId, to: to,
            subject: "New request from \(request.from): verify a reference for a \(request.role.rawValue)",
            body: """
                \(request.from) asks \(planner.authorityName) to verify a reference, as a matter of urgency (paragraph 6).

                Referee named: \(request.reference.refereeName) (\(request.reference.refereeStatedRole)), \(request.reference.team)
                Placement: \(request.reference.placementStart) to \(request.reference.placementEnd)
                Role applied for: \(request.role.rawValue); para 5 needs a \(minimum.rawValue) or more senior to answer
                Answer by: \(MessageCoding.formatInstant(request.respondBy)) (\(String(format: "%.1f", remaining)) working hours)

                Answer it in the dashboard (case \(request.caseId)) or with 'refgate respond --case \(request.caseId)'.
                """, tx: tx, now: now)
    }

    /// An answer arrived: the requester and the recruiters; then the candidate's gate, if the
    /// answer cleared them or ended their chance of clearance as things stand.
    func answerArrived(_ record: CaseRecord, outcome: VerificationOutcome, tx: StoreTransaction, now: Date) throws {
        var to = try recipients(.answerArrived, tx: tx) { $0.role == .recruiter }
        if let requester = try requesterEmail(record, tx: tx), try !muted(email: requester, .answerArrived, tx: tx) {
            to.insert(requester, at: 0)
        }
        try send(
            .answerArrived, caseID: record.id, to: to,
            subject: "Answered: reference for \(record.candidateName) — \(outcome.rawValue)",
            body: """
                \(record.peer) has answered the reference verification for \(record.candidateName) \
                (\(record.candidateRole.rawValue)): \(outcome.rawValue).

                Case: \(record.id)
                """, tx: tx, now: now)
        if NotificationPlanner.isConcern(outcome) {
            try candidateBlocked(
                record, why: "the reference with \(record.peer) is \(outcome.rawValue)", tx: tx, now: now)
        } else {
            try candidateClearedIfSo(record.candidateRegistration, caseID: record.id, tx: tx, now: now)
        }
    }

    /// Tells the recruiters a candidate is cleared, if they are now.
    func candidateClearedIfSo(_ registration: String?, caseID: String?, tx: StoreTransaction, now: Date) throws {
        guard let registration, let gate = try Queries.gate(registration: registration, reader: tx.reader),
            gate.clearance == .cleared
        else { return }
        try send(
            .candidateCleared, caseID: caseID,
            to: try recipients(.candidateCleared, tx: tx) { $0.role == .recruiter },
            subject: "Cleared: \(gate.name ?? registration) may be appointed",
            body: """
                Every reference of \(gate.name ?? registration) (\(registration)) is verified and the para 9 \
                checklist is complete: the appointment may be agreed (paragraphs 7–9). Record it in the \
                dashboard or with 'refgate candidate appoint'.
                """, tx: tx, now: now)
        if let role = gate.role {
            try agencyNotice(
                .cleared, registration: registration, candidateName: gate.name ?? registration, role: role,
                caseID: caseID, tx: tx, now: now)
        }
    }

    /// Tells the recruiters a candidate cannot be cleared as things stand.
    func candidateBlocked(_ record: CaseRecord, why: String, tx: StoreTransaction, now: Date) throws {
        guard record.side == .requester else { return }
        try send(
            .candidateBlocked, caseID: record.id,
            to: try recipients(.candidateBlocked, tx: tx) { $0.role == .recruiter },
            subject: "Blocked: \(record.candidateName) cannot be appointed as things stand",
            body: """
                \(record.candidateName) cannot be cleared for appointment as things stand: \(why). A service \
                manager will seek a suitable reference (paragraph 10); do not agree the appointment.

                Case: \(record.id)
                """, tx: tx, now: now)
        if let registration = record.candidateRegistration {
            try agencyNotice(
                .blocked, registration: registration, candidateName: record.candidateName, role: record.candidateRole,
                caseID: record.id, tx: tx, now: now)
        }
    }

    /// An answer this authority owes is due within a working day: whoever owes it (the
    /// responders, or the holders of the role an escalation addressed). Once per case and level.
    func deadlineNear(_ item: OutstandingCase, tx: StoreTransaction, now: Date) throws -> Bool {
        let event = "\(AlertEvent.deadlineNear.rawValue)-level-\(item.escalationLevel)"
        guard item.side == .responder, item.rag == .amber,
            try !tx.reader.hasNotification(caseID: item.caseID, event: event)
        else { return false }
        let owing: UserRole =
            switch item.escalationLevel {
            case 0: .responder
            case 1: .serviceManager
            default: .headOfService
            }
        var to = try recipients(.deadlineNear, tx: tx) { $0.role == owing }
        if let role = owing.escalationRole { to += planner.addresses(for: role).filter { !to.contains($0) } }
        let routes = try route(to, tx: tx)
        let records =
            planner.planSMS(
                event: event, caseID: item.caseID,
                subject: "Due within a working day: reference for \(item.candidateName) owed to \(item.peer)", now: now,
                to: routes.sms)
            + planner.planEmail(
                event: event, caseID: item.caseID,
                subject: "Due within a working day: reference for \(item.candidateName) owed to \(item.peer)",
                body: """
                    \(planner.authorityName) owes \(item.peer) an answer about \(item.candidateName) \
                    (\(item.role.rawValue)) by \(MessageCoding.formatInstant(item.dueAt)): \
                    \(String(format: "%.1f", item.workingSecondsLeft / 3600)) working hours left.

                    Case: \(item.caseID)
                    """, now: now, emailTo: routes.email)
        for record in records { try tx.enqueue(record) }
        return !records.isEmpty
    }

    // MARK: Recipients

    /// Live users matching `who`, less those who turned `event` off, by address; `listening`:
    /// those users, when the caller read them already.
    private func recipients(
        _ event: AlertEvent, tx: StoreTransaction, listening: [UserRecord]? = nil, _ who: (UserRecord) -> Bool
    ) throws -> [String] {
        try (listening ?? tx.reader.liveUsers(notMuting: event.rawValue)).filter(who).map(\.email)
    }

    /// Each address's channels: a user's own choice or their role's (people not users: e-mail);
    /// returns who gets e-mail and the numbers that get a text message.
    private func route(_ addresses: [String], tx: StoreTransaction) throws -> (email: [String], sms: [String]) {
        var email: [String] = []
        var sms: [String] = []
        for address in addresses {
            guard let user = try tx.reader.user(idOrEmail: address), user.revokedAt == nil else {
                email.append(address)
                continue
            }
            let (chosen, phone) = try tx.reader.personalChannels(userID: user.id)
            let channels = planner.channels(role: user.role, chosen: chosen)
            if channels.contains(.email) { email.append(address) }
            if channels.contains(.sms), let phone { sms.append(phone) }
        }
        return (email, sms)
    }

    /// Whether the user with this address turned the alert off.
    private func muted(email: String, _ event: AlertEvent, tx: StoreTransaction) throws -> Bool {
        guard let user = try tx.reader.user(idOrEmail: email), user.revokedAt == nil else { return false }
        return try tx.reader.usersMuting(event.rawValue).contains(user.id)
    }

    /// The requester's address, from the signed request this node sent.
    private func requesterEmail(_ record: CaseRecord, tx: StoreTransaction) throws -> String? {
        guard let message = try tx.reader.message(record.requestMessageID), let jws = try? JWS(compact: message.jws),
            case .request(let request)? = try? RefGateMessage.decode(payload: jws.payload)
        else { return nil }
        return request.requester.email
    }

    private func send(
        _ event: AlertEvent, caseID: String?, to: [String], subject: String, body: String, tx: StoreTransaction,
        now: Date
    ) throws {
        let routes = try route(to, tx: tx)
        for record in planner.planEmail(
            event: event.rawValue, caseID: caseID, subject: subject, body: body, now: now, emailTo: routes.email)
            + planner.planSMS(event: event.rawValue, caseID: caseID, subject: subject, now: now, to: routes.sms)
        {
            try tx.enqueue(record)
        }
    }
}
