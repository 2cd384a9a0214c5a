import Foundation
import RefGateCore
import RefGateStore
import RefGateTrust

extension Agencies {
    /// What the agency's one-time page shows: the candidate it already knows and nothing else.
    public struct LinkPage: Sendable, Hashable {
        /// The agency's name.
        public var agencyName: String
        /// The candidate's name.
        public var candidateName: String
        /// When the link stops working.
        public var expiresAt: Date
    }

    /// Sends the agency's compliance contact a one-time link to confirm its para 9 checks for a
    /// candidate: 256 random bits, only its hash kept, usable once, until it expires. Returns
    /// when it expires and where it went (the link itself goes only to the agency).
    public func sendLink(registration: String, by principal: Principal) async throws -> (
        expiresAt: Date, sentTo: String
    ) {
        _ = try ProfessionalRegistration(key: registration)
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let token = Base64URL.encode(bytes)
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(options.linkLifetime)
        let url = "\(options.linkBaseURL)/agency/confirm/\(token)"
        let sentTo = try await store.write { tx -> String in
            let agency = try Self.candidateAgency(registration, reader: tx.reader)
            guard let contact = agency.contactEmail else {
                throw RefGateError(
                    .invalidInput,
                    "agency \(agency.number) has no compliance contact e-mail: add one (contactEmail) first")
            }
            let name = try tx.reader.requestedCases(candidateRegistration: registration).last?.candidateName ?? ""
            let records = self.planner.planEmail(
                event: "agency-link", caseID: nil,
                subject: "\(self.planner.authorityName): please confirm your safer-recruitment checks for \(name)",
                body: """
                    \(self.planner.authorityName) asks \(agency.name) to confirm its safer-recruitment checks for \(name) \
                    (North West references procedure, paragraph 9): that the DBS check was reviewed, that references \
                    from previous permanent employers are held, and that gaps in employment were robustly challenged.

                    Confirm here (the link works once, until \(MessageCoding.formatInstant(expiresAt))):
                    \(url)
                    """, now: now, emailTo: [contact])
            guard !records.isEmpty else {
                throw RefGateError(
                    .invalidInput, "this node has no mail server (notifications.smtp): it cannot send a link")
            }
            for record in records { try tx.enqueue(record) }
            try tx.insertAgencyLink(
                tokenHash: Thumbprint.sha256(Data(token.utf8)), registration: registration, agency: agency.number,
                expiresAt: expiresAt, actor: principal.auditActor, at: now)
            return contact
        }
        return (expiresAt, sentTo)
    }

    /// The page behind a link, if the link is live.
    public func linkPage(token: String) async throws -> LinkPage {
        let now = clock.now()
        return try await store.read { reader in
            guard let link = try Self.live(token, reader: reader, now: now) else { throw Self.deadLink }
            let agency = try reader.currentAgency(link.agency)
            let name = try reader.requestedCases(candidateRegistration: link.registration).last?.candidateName ?? ""
            return LinkPage(
                agencyName: agency?.name ?? link.agency.rawValue, candidateName: name, expiresAt: link.expiresAt)
        }
    }

    /// The agency's confirmation through its link: recorded once, and the link is spent.
    public func confirmByLink(
        token: String, dbsReviewed: Bool, permanentEmployerReferences: Bool, employmentGapsChallenged: Bool,
        confirmedBy: String
    ) async throws -> AgencyChecks {
        let confirmedBy = try Self.checkName(confirmedBy, field: "confirmedBy")
        let now = clock.now()
        return try await store.write { tx in
            guard let link = try Self.live(token, reader: tx.reader, now: now),
                try tx.useAgencyLink(tokenHash: Thumbprint.sha256(Data(token.utf8)), at: now)
            else { throw Self.deadLink }
            let checks = AgencyChecks(
                agency: link.agency, dbsReviewed: dbsReviewed, permanentEmployerReferences: permanentEmployerReferences,
                employmentGapsChallenged: employmentGapsChallenged, confirmedBy: confirmedBy, method: .oneTimeLink,
                confirmedAt: now)
            try tx.save(
                checks, registration: link.registration,
                actor: AuditActor(name: confirmedBy, role: "agency \(link.agency)"))
            return checks
        }
    }

    /// One refusal for every dead link (unknown, used or expired), so a guess learns nothing.
    static let deadLink = RefGateError(
        .notFound,
        "this link is not valid: it was used, it has expired, or it never existed; ask the authority for a new one")

    private static func live(_ token: String, reader: StoreReader, now: Date) throws -> (
        registration: String, agency: CompaniesHouseNumber, expiresAt: Date
    )? {
        guard token.count == 43,
            token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        guard let link = try reader.agencyLink(tokenHash: Thumbprint.sha256(Data(token.utf8)), at: now) else {
            return nil
        }
        return (link.registration, link.agency, link.expiresAt)
    }
}
