import Foundation
import RefGateCore
import RefGateStore

extension Commands {
    /// The agency a request names: the record its Companies House number finds (a merged
    /// duplicate finds the agency it became), or a new one with the name given; and the agency as
    /// the signed request carries it, without the number for a peer not known to read it.
    func agency(of draft: RequestDraft) async throws -> (AgencyRecord?, VerificationRequest.Agency) {
        guard let number = draft.agency.companiesHouseNumber else { return (nil, draft.agency) }
        let (held, release) = try await store.read { reader in
            (try reader.currentAgency(number), try reader.peerVersion(draft.to))
        }
        let now = clock.now()
        let record =
            held
            ?? AgencyRecord(number: number, name: draft.agency.name, contactEmail: nil, createdAt: now, updatedAt: now)
        let readsNumber = MessageFormat.peer(running: release, reads: MessageFormat.agencyRecords)
        return (record, .init(name: record.name, companiesHouseNumber: readsNumber ? record.number : nil))
    }

    /// In the request's transaction: the agency (added if new), the case's and the candidate's
    /// agency, the candidate's address, and the para 8 notice if this is the candidate's first.
    func recordAgency(_ agency: AgencyRecord?, email: String?, case record: CaseRecord, tx: StoreTransaction, now: Date)
        throws
    {
        guard let registration = record.candidateRegistration, agency != nil || email != nil else { return }
        if let agency {
            if try tx.reader.agency(agency.number) == nil { try tx.save(agency, actor: nil) }
            try tx.setCaseAgency(record.id, agency: agency.number)
        }
        try tx.setCandidateContact(registration: registration, agency: agency?.number, email: email, at: now)
        try alerts.agencyNotice(
            .opened, registration: registration, candidateName: record.candidateName, role: record.candidateRole,
            caseID: record.id, tx: tx, now: now)
    }
}
