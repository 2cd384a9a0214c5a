import Foundation
import RefGateCore
import RefGateStore

extension Alerts {
    /// Para 8: tells the candidate's agency (its compliance contact) and the candidate (if the
    /// recruiter gave an address), each in a mail of their own, once per candidate and notice.
    /// Recorded, and audited on the case, only when it went; nothing is recorded for a
    /// candidate with no one to tell, so a later request that names the agency still tells it.
    func agencyNotice(
        _ kind: AgencyNotice.Kind, registration: String, candidateName: String, role: CandidateRole, caseID: String?,
        tx: StoreTransaction, now: Date
    ) throws {
        guard try !tx.reader.agencyNoticeSent(registration: registration, kind: kind),
            let contact = try tx.reader.candidateContact(registration: registration)
        else { return }
        var addresses: [String] = []
        let agency = try contact.agency.flatMap { try tx.reader.currentAgency($0) }
        if let email = agency?.contactEmail { addresses.append(email) }
        if let email = contact.email, !addresses.contains(email) { addresses.append(email) }
        let notice = AgencyNotice.render(
            kind, template: templates[kind], authority: planner.authorityName, candidate: candidateName, role: role)
        var sent = 0
        for address in addresses {
            let records = planner.planEmail(
                event: kind.rawValue, caseID: caseID, subject: notice.subject, body: notice.body, now: now,
                emailTo: [address])
            for record in records { try tx.enqueue(record) }
            sent += records.count
        }
        guard sent > 0 else { return }
        try tx.insert(
            AgencyNoticeRecord(
                registration: registration, kind: kind, agency: agency?.number, caseID: caseID, recipients: sent,
                sentAt: now))
    }
}
