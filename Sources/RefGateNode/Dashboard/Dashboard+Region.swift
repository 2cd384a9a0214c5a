import Foundation
import Hummingbird
import RefGateCore
import RefGateStore

extension Dashboard {
    func addRegion(_ router: Router<LocalRequestContext>) {
        router.get("/region") { request, _ in
            try await self.page(request, roles: Self.roles("/region")) { visitor in
                let period = request.uri.queryParameters["period"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
                let picture = try await self.region.picture(period: period)
                return self.render(
                    "region", title: "The region: \(picture.region)", data: Self.regionData(picture),
                    visitor: visitor, warnings: await self.warnings(visitor), current: "/region")
            }
        }
        router.get("/region.csv") { request, _ in
            try await self.page(request, roles: Self.roles("/region")) { _ in
                LocalAPI.regionCSV(
                    try await self.region.picture(period: request.uri.queryParameters["period"].map(String.init)))
            }
        }
        router.get("/region/report") { request, _ in
            try await self.page(request, roles: Self.roles("/region")) { visitor in
                // The month asked for, or the newest held.
                let asked = request.uri.queryParameters["period"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
                var period = asked ?? RegionalPeriod(containing: self.clock.now()).description
                if asked == nil, let newest = try await self.region.picture().periods.first { period = newest }
                let picture = try await self.region.picture(period: period)
                // A page to print: no menu, the month in the title.
                return self.render(
                    "region-report", title: "\(picture.region): keeping the references procedure, \(period)",
                    data: Self.regionData(picture), visitor: nil)
            }
        }
        router.get("/agencies") { request, _ in
            try await self.page(request, roles: Self.roles("/agencies")) { visitor in
                let agencies = try await self.agencies.list()
                let managers = LocalAPI.roles(.get, "/agencies/{number}/concerns").contains(visitor.user.role)
                var concerns: [[String: Any]] = []
                if managers {
                    for agency in agencies {
                        for concern in try await self.agencies.concerns(agency: agency.number.rawValue) {
                            concerns.append([
                                "agency": agency.name, "category": concern.category.title, "text": concern.text,
                                "by": "\(concern.recordedBy) (\(concern.recordedByRole))",
                                "at": MessageCoding.formatInstant(concern.recordedAt),
                            ])
                        }
                    }
                }
                return self.render(
                    "agencies", title: "Agencies",
                    data: [
                        "rows": agencies.map {
                            ["name": $0.name, "number": $0.number.rawValue, "contact": $0.contactEmail ?? "none"]
                        },
                        "canAdd": LocalAPI.roles(.post, "/agencies").contains(visitor.user.role),
                        "canConcern": LocalAPI.roles(.post, "/agencies/{number}/concerns").contains(visitor.user.role)
                            && !agencies.isEmpty,
                        "agencies": agencies.map { ["name": $0.name, "number": $0.number.rawValue] },
                        "categories": AgencyConcern.Category.allCases.map {
                            ["value": $0.rawValue, "title": $0.title]
                        },
                        "managers": managers, "concerns": concerns, "csrf": visitor.csrf,
                    ], visitor: visitor, warnings: await self.warnings(visitor),
                    flash: request.uri.queryParameters["done"].map {
                        $0 == "concern" ? "Concern recorded." : "Agency saved."
                    },
                    current: "/agencies")
            }
        }
        router.post("/agencies") { request, _ in
            try await self.form(request, roles: LocalAPI.roles(.post, "/agencies")) { visitor, fields in
                _ = try await self.agencies.save(
                    number: fields["companiesHouseNumber"] ?? "", name: fields["name"] ?? "",
                    contactEmail: fields["contactEmail"], by: .user(visitor.user))
                return Self.redirect("/agencies?done=saved")
            }
        }
        router.post("/agencies/concerns") { request, _ in
            try await self.form(request, roles: LocalAPI.roles(.post, "/agencies/{number}/concerns")) {
                visitor, fields in
                guard let category = fields["category"].flatMap(AgencyConcern.Category.init(rawValue:)) else {
                    throw RefGateError(.invalidInput, "choose what the concern is about")
                }
                _ = try await self.agencies.recordConcern(
                    agency: fields["agency"] ?? "", category: category, text: fields["text"] ?? "", recordedBy: nil,
                    by: .user(visitor.user))
                return Self.redirect("/agencies?done=concern")
            }
        }
        router.post("/candidates/:registration/agency-link") { request, context in
            let registration: String = try context.parameters.require("registration")
            return try await self.form(request, roles: LocalAPI.roles(.post, "/candidates/{registration}/agency-link"))
            {
                visitor, _ in
                _ = try await self.agencies.sendLink(registration: registration, by: .user(visitor.user))
                return Self.redirect("/candidates/\(registration)?done=link")
            }
        }
        addAgencyLink(router)
    }

    /// The agency's one-time page: no sign-in, the link is the only key, and it opens only
    /// this form for this candidate, once.
    private func addAgencyLink(_ router: Router<LocalRequestContext>) {
        router.get("/agency/confirm/:token") { _, context in
            let token: String = try context.parameters.require("token")
            do {
                let page = try await self.agencies.linkPage(token: token)
                return self.render(
                    "agency-confirm", title: "Confirm your safer-recruitment checks",
                    data: [
                        "agency": page.agencyName, "candidate": page.candidateName, "token": token,
                        "expiresAt": MessageCoding.formatInstant(page.expiresAt),
                    ], visitor: nil)
            } catch let error as RefGateError where error.code == .notFound {
                return self.render(
                    "message", title: "This link does not work", data: ["text": error.detail], visitor: nil,
                    status: .notFound)
            }
        }
        router.post("/agency/confirm/:token") { request, context in
            let token: String = try context.parameters.require("token")
            let fields = try await FormBody.read(request)
            do {
                _ = try await self.agencies.confirmByLink(
                    token: token, dbsReviewed: fields["dbsReviewed"] == "yes",
                    permanentEmployerReferences: fields["permanentEmployerReferences"] == "yes",
                    employmentGapsChallenged: fields["employmentGapsChallenged"] == "yes",
                    confirmedBy: fields["confirmedBy"] ?? "")
                return self.render(
                    "message", title: "Thank you",
                    data: ["text": "Your confirmation is recorded. This link no longer works."], visitor: nil)
            } catch let error as RefGateError where error.code.fault == .client {
                return self.render(
                    "message", title: error.code == .notFound ? "This link does not work" : "Check your answer",
                    data: ["text": error.detail], visitor: nil, status: ProblemDetails.status(for: error.code))
            }
        }
    }

    static func regionData(_ picture: RegionalPicture) -> [String: Any] {
        [
            "periods": picture.periods.map { ["value": $0, "selected": $0 == picture.period] },
            "period": picture.period ?? "", "query": picture.period.map { "?period=\($0)" } ?? "",
            "threshold": picture.smallNumberThreshold,
            "standards": RegionalStandard.allCases.map { ["title": $0.title] },
            "authorities": picture.authorities.map { row in
                [
                    "authority": row.authority.rawValue, "name": row.name, "reported": row.reported,
                    "requests": row.requests, "inTime": row.answeredInTime, "late": row.answeredLate,
                    "overdue": row.overdueUnanswered, "level1": row.escalatedLevel1, "level2": row.escalatedLevel2,
                    "spent": row.laddersSpent,
                    "ratings": row.standards.map {
                        [
                            "shown": $0.shown, "tag": $0.rating?.rawValue ?? "grey",
                            "rating": $0.rating?.rawValue.uppercased() ?? "NOT RATED",
                        ]
                    },
                ] as [String: Any]
            },
            "months": picture.months.map {
                [
                    "period": $0.period, "reporting": $0.reporting, "requests": $0.requests,
                    "inTime": $0.answeredInTime,
                    "level1": $0.escalatedLevel1, "level2": $0.escalatedLevel2, "spent": $0.laddersSpent,
                ] as [String: Any]
            },
            "agencies": picture.agencies.map { row in
                [
                    "name": row.name, "number": row.companiesHouseNumber.rawValue, "authorities": row.authorities,
                    "candidates": row.candidates, "requests": row.requests, "verified": row.verified,
                    "notVerified": row.notVerified, "ineligible": row.refereeIneligible,
                    "cleared": row.candidatesCleared,
                    "concerns": row.concerns.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
                        separator: ", "),
                ] as [String: Any]
            },
            "sources": picture.sources.map {
                [
                    "id": $0.messageId, "from": $0.from.rawValue, "period": $0.period,
                    "final": $0.final ? "final" : "so far", "sentAt": MessageCoding.formatInstant($0.sentAt),
                ]
            },
        ]
    }
}
