import Foundation
import RefGateCore

enum Fixtures {
    static let manchester = AuthorityID(rawValue: "E08000003")!
    static let salford = AuthorityID(rawValue: "E08000006")!
    static let instant = Date(timeIntervalSince1970: 1_795_000_000)

    static func request(role: CandidateRole = .teamManager) -> VerificationRequest {
        VerificationRequest(
            id: "0b6f0c2e-6d6a-4c49-9a53-7f1e2a2b3c4d", caseId: "1c7e1d3f-7e7b-4d5a-8b64-8a2f3b3c4d5e",
            from: manchester, to: salford, sentAt: instant, respondBy: instant.addingTimeInterval(172_800),
            candidate: .init(name: "Alex Morgan", registration: .init(body: "social-work-england", number: "SW104522")),
            role: role, agency: .init(name: "Northern Social Care Recruitment Ltd"),
            reference: .init(
                refereeName: "Priya Shah", refereeStatedRole: "Service Manager", team: "Children in Need East",
                placementStart: "2025-03-03", placementEnd: "2026-08-28", dateGiven: "2026-09-15"),
            requester: .init(
                name: "Jordan Ellis", role: "Recruitment Officer", email: "jordan.ellis@manchester.example"))
    }

    static func requestJSON() throws -> [String: Any] {
        let data = try MessageCoding.encoder().encode(request())
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func encode(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }
}
