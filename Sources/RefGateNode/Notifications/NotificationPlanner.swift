import Foundation
import RefGateCore
import RefGateStore

/// Decides who is told what when a case changes, as notification rows for the same transaction.
public struct NotificationPlanner: Sendable {
    let authority: AuthorityID
    let authorityName: String
    let settings: NotificationSettings
    var people = PeopleSettings()

    /// Para 12: every concern — an answer that the reference is not verified or its referee
    /// ineligible, or an escalation at level 1 or 2 (unsatisfactory, serious concern, overdue,
    /// suitable reference required) — sends the standards reminder to the
    /// practitioners-and-managers list and to every webhook, once per case and level (the
    /// caller checks ``standardsReminderEvent(level:)``). It names no candidate: it goes to
    /// all staff.
    func standardsReminder(concern: String, level: Int, caseID: String, role: CandidateRole, now: Date)
        -> [NotificationRecord]
    {
        let subject = "Reminder: standards for references for temporary social work staff"
        let raised = level == 0 ? "has confirmed a concern" : "has been escalated to level \(level)"
        let body = """
            A reference verification by \(authorityName) \(raised) (\(concern), \
            \(role.rawValue) reference, case \(caseID)).

            As the North West references procedure asks (paragraph 12), a reminder to all practitioners \
            and managers:

            - References for temporary qualified social workers must not be provided by colleagues or \
            first-line managers at the end of a temporary appointment (paragraph 5).
            - References for team and first-line managers must be completed or approved by a suitably \
            senior manager, such as a service manager (paragraph 5).
            - Requests from other authorities to verify references must be answered as a matter of \
            urgency (paragraph 6).

            This message was sent by refgate for \(authorityName).
            """
        return plan(
            event: Self.standardsReminderEvent(level: level), caseID: caseID, subject: subject, body: body, now: now,
            emailTo: [
                settings.standardsReminderAddress
            ].compactMap { $0 })
    }

    /// The reminder's event for a concern at `level` (0: an answer's outcome): one per case each.
    static func standardsReminderEvent(level: Int) -> String {
        level == 0 ? "standards-reminder" : "standards-reminder-level-\(level)"
    }

    /// Which outcomes are concerns (para 12).
    static func isConcern(_ outcome: VerificationOutcome) -> Bool {
        outcome == .refereeIneligible || outcome == .notVerified
    }

    func addresses(for role: EscalationRole) -> [String] {
        let contacts = role == .serviceManager ? people.serviceManagers : people.headsOfService
        return (contacts ?? []).map(\.email)
    }

    /// This authority escalated: its own role holders are told what was raised on their behalf.
    func escalationRaised(
        _ escalation: EscalationRecord, case record: CaseRecord, now: Date
    ) -> [NotificationRecord] {
        let subject =
            "Escalated to \(record.peer)'s \(escalation.role.rawValue)s: reference for \(record.candidateName) (level \(escalation.level))"
        let body = """
            \(authorityName) has escalated reference verification case \(record.id) to the \
            \(escalation.role.rawValue)s of \(record.peer), as the procedure asks of your role \
            (\(escalation.level == 1 ? "paragraphs 10–11" : "paragraph 13")).

            Candidate: \(record.candidateName) (\(record.candidateRole.rawValue))
            Reason: \(escalation.reason.rawValue)
            Raised by: \(escalation.raisedBy.name), \(escalation.raisedBy.role)
            Answer due by: \(MessageCoding.formatInstant(escalation.dueAt))
            \(escalation.note.map { "Note: \($0)\n" } ?? "")
            Escalation id: \(escalation.id)
            """
        return plan(
            event: "escalation-raised", caseID: record.id, subject: subject, body: body, now: now,
            emailTo: addresses(for: escalation.role))
            + teams("escalation-raised", subject, escalation, record, text: body, now: now)
    }

    /// Another authority escalated to this one: the holders of the addressed role must act.
    func escalationReceived(
        _ escalation: EscalationRecord, case record: CaseRecord, now: Date
    ) -> [NotificationRecord] {
        let subject =
            "Escalation from \(record.peer): reference for \(record.candidateName) needs your answer (level \(escalation.level))"
        let body = """
            \(record.peer) has escalated a reference verification request owed by \(authorityName) to its \
            \(escalation.role.rawValue)s (\(escalation.level == 1 ? "paragraphs 10–11" : "paragraph 13") of the \
            North West references procedure).

            Candidate: \(record.candidateName) (\(record.candidateRole.rawValue))
            Reason: \(escalation.reason.rawValue)
            Raised by: \(escalation.raisedBy.name), \(escalation.raisedBy.role)
            Answer due by: \(MessageCoding.formatInstant(escalation.dueAt))
            \(escalation.note.map { "Note: \($0)\n" } ?? "")
            Acknowledge (one of you is enough): refgate escalations ack --escalation \(escalation.id) --name "…" --role "…"
            Answer: refgate respond --case \(record.id) …
            """
        return plan(
            event: "escalation-received", caseID: record.id, subject: subject, body: body, now: now,
            emailTo: addresses(for: escalation.role))
            + teams("escalation-received", subject, escalation, record, text: body, now: now)
    }

    /// A response resolved the case: everyone escalated to is told to stand down.
    func escalationsResolved(
        _ closed: [EscalationRecord], case record: CaseRecord, outcome: VerificationOutcome, now: Date
    ) -> [NotificationRecord] {
        guard !closed.isEmpty else { return [] }
        let roles = Set(closed.map(\.role))
        let subject = "Resolved: reference for \(record.candidateName) answered (\(outcome.rawValue))"
        let body = """
            Reference verification case \(record.id) with \(record.peer) has been answered \
            (\(outcome.rawValue)); its escalation is closed. No further action is needed on the escalation.
            """
        return plan(
            event: "escalation-resolved", caseID: record.id, subject: subject, body: body, now: now,
            emailTo: EscalationRole.allCases.filter(roles.contains).flatMap(addresses(for:)))
    }

    /// An escalation addressed here is still unacknowledged: remind the holders of the role.
    func reminder(_ escalation: EscalationRecord, case record: CaseRecord, now: Date) -> [NotificationRecord] {
        let subject =
            "Reminder: escalation from \(record.peer) about \(record.candidateName) awaits acknowledgement (level \(escalation.level))"
        let body = """
            Escalation \(escalation.id) (\(escalation.reason.rawValue)) from \(record.peer) has not been \
            acknowledged by any \(escalation.role.rawValue) of \(authorityName).

            Answer due by: \(MessageCoding.formatInstant(escalation.dueAt))
            Acknowledge: refgate escalations ack --escalation \(escalation.id) --name "…" --role "…"
            Answer: refgate respond --case \(record.id) …
            """
        return plan(
            event: "escalation-reminder", caseID: record.id, subject: subject, body: body, now: now,
            emailTo: addresses(for: escalation.role))
            + teams("escalation-reminder", subject, escalation, record, text: body, now: now)
    }

    /// The level 2 deadline passed: the procedure's ladder is spent (para 14).
    func ladderExhausted(case record: CaseRecord, now: Date) -> [NotificationRecord] {
        let subject = "Ladder spent: reference for \(record.candidateName) (case \(record.id)) is still unresolved"
        let asked = record.side == .requester ? "asked \(record.peer)" : "was asked by \(record.peer)"
        let body = """
            \(authorityName) \(asked) to verify a reference for \(record.candidateName) \
            (\(record.candidateRole.rawValue)). Escalation to service managers and then to heads of service \
            has not produced an answer by the level 2 deadline.

            The procedure's escalation ladder is spent. Paragraph 14: whether to pursue the matter with \
            the regulator (Social Work England) or by legal means where there is evidence of falsified \
            references or concerns about fitness to practise is a decision for the head of service.

            Case: \(record.id)
            """
        let addresses = ((people.headsOfService ?? []) + (people.operators ?? [])).map(\.email)
        return plan(
            event: "ladder-exhausted", caseID: record.id, subject: subject, body: body, now: now, emailTo: addresses)
    }

    /// A personal alert: e-mail only (webhooks carry the authority's events, not one person's),
    /// through SMTP, or through GOV.UK Notify (one notification per address) when there is no
    /// SMTP server.
    func planEmail(event: String, caseID: String?, subject: String, body: String, now: Date, emailTo: [String])
        -> [NotificationRecord]
    {
        let unique = emailTo.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        guard !unique.isEmpty else { return [] }
        if settings.smtp != nil {
            return [
                NotificationRecord(
                    caseID: caseID, channel: .email, target: unique.joined(separator: ","), event: event,
                    subject: subject, body: body, createdAt: now)
            ]
        }
        guard settings.notify?.emailTemplateId != nil else { return [] }
        return unique.map {
            NotificationRecord(
                caseID: caseID, channel: .notifyEmail, target: $0, event: event, subject: subject, body: body,
                createdAt: now)
        }
    }

    /// A text message through GOV.UK Notify to each number (none without Notify's SMS template).
    func planSMS(event: String, caseID: String?, subject: String, now: Date, to numbers: [String])
        -> [NotificationRecord]
    {
        guard settings.notify?.smsTemplateId != nil else { return [] }
        return Set(numbers).sorted().map {
            NotificationRecord(
                caseID: caseID, channel: .notifySMS, target: $0, event: event, subject: subject, body: "",
                createdAt: now)
        }
    }

    /// An escalation as an Adaptive Card to every Teams channel: who, which case, the deadline,
    /// and a link to the case page.
    func teams(
        _ event: String, _ title: String, _ escalation: EscalationRecord, _ record: CaseRecord, text: String,
        now: Date
    ) -> [NotificationRecord] {
        (settings.teams ?? []).map { channel in
            let card = TeamsCard.message(
                title: title,
                facts: [
                    ("Who", "\(escalation.raisedBy.name), \(escalation.raisedBy.role)"),
                    ("Case", "\(record.candidateName) (\(record.candidateRole.rawValue)), with \(record.peer)"),
                    ("Level", "\(escalation.level): the \(escalation.role.rawValue)s"),
                    ("Reason", escalation.reason.rawValue),
                    ("Respond by", MessageCoding.formatInstant(escalation.dueAt)),
                ], text: text,
                link: channel.dashboardURL.trimmingCharacters(in: ["/"]) + "/cases/\(record.id)")
            return NotificationRecord(
                caseID: record.id, channel: .teams, target: channel.url, event: event, subject: title,
                body: card, createdAt: now)
        }
    }

    func plan(event: String, caseID: String?, subject: String, body: String, now: Date, emailTo: [String])
        -> [NotificationRecord]
    {
        var notifications: [NotificationRecord] = []
        if settings.smtp != nil, !emailTo.isEmpty {
            notifications.append(
                NotificationRecord(
                    caseID: caseID, channel: .email, target: emailTo.joined(separator: ","), event: event,
                    subject: subject, body: body, createdAt: now))
        }
        for webhook in settings.webhooks ?? [] {
            notifications.append(
                NotificationRecord(
                    caseID: caseID, channel: .webhook, target: webhook.url, event: event, subject: subject, body: body,
                    createdAt: now))
        }
        return notifications
    }
}
