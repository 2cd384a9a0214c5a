import Foundation
import RefGateCore
import RefGateStore

/// Decides who is told what when a case changes, as notification rows for the same transaction.
public struct NotificationPlanner: Sendable {
    let authority: AuthorityID
    let authorityName: String
    let settings: NotificationSettings

    /// Para 12: a confirmed concern (the referee was a colleague or first-line manager, or the
    /// reference could not be confirmed) sends the standards reminder to the
    /// practitioners-and-managers list and to every webhook. It names no candidate: it goes to
    /// all staff.
    func afterOutcome(_ outcome: VerificationOutcome, caseID: String, role: CandidateRole, now: Date)
        -> [NotificationRecord]
    {
        guard outcome == .refereeIneligible || outcome == .notVerified else { return [] }
        let subject = "Reminder: standards for references for temporary social work staff"
        let body = """
            A reference verification by \(authorityName) has confirmed a concern (outcome \
            \(outcome.rawValue), \(role.rawValue) reference, case \(caseID)).

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
            event: "standards-reminder", caseID: caseID, subject: subject, body: body, now: now,
            emailTo: [
                settings.standardsReminderAddress
            ].compactMap { $0 })
    }

    private func plan(event: String, caseID: String?, subject: String, body: String, now: Date, emailTo: [String])
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
