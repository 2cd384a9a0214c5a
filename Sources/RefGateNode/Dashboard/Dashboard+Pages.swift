import Foundation
import Hummingbird
import RefGateCore
import RefGateStore

extension Dashboard {
    func addPages(_ router: Router<LocalRequestContext>) {
        router.get("/outstanding") { request, _ in
            try await self.page(request, roles: Self.roles("/outstanding")) { visitor in
                try await self.outstandingPage(request, visitor)
            }
        }
        router.get("/cases/:id") { request, context in
            let id: String = try context.parameters.require("id")
            return try await self.page(request, roles: LocalAPI.roles(.get, "/cases/{id}")) { visitor in
                try await self.casePage(id, visitor, done: request.uri.queryParameters["done"].map(String.init))
            }
        }
        router.get("/escalations") { request, _ in
            try await self.page(request, roles: Self.roles("/escalations")) { visitor in
                try await self.escalationsPage(request, visitor)
            }
        }
        router.get("/candidates") { request, _ in
            try await self.page(request, roles: Self.roles("/candidates")) { visitor in
                let offset = max(0, request.uri.queryParameters["offset"].flatMap { Int(String($0)) } ?? 0)
                let page = try await self.queries.candidates(limit: Self.pageSize, offset: offset)
                let rows = page.items.map { status in
                    [
                        "name": status.name ?? "(no name)", "registration": status.registration,
                        "clearance": status.clearance.rawValue.capitalized,
                        "tag": status.clearance == .cleared ? "green" : "red", "reasons": status.reasons,
                    ] as [String: Any]
                }
                return self.render(
                    "candidates", title: "Candidates",
                    data: ["rows": rows, "pager": Self.pager(page, path: "/candidates", request: request) as Any],
                    visitor: visitor,
                    warnings: await self.warnings(visitor), current: "/candidates")
            }
        }
        router.get("/candidates/:registration") { request, context in
            let registration: String = try context.parameters.require("registration")
            return try await self.page(request, roles: Self.roles("/candidates")) { visitor in
                try await self.candidatePage(registration, request, visitor)
            }
        }
        router.get("/deliveries") { request, _ in
            try await self.page(request, roles: Self.roles("/deliveries")) { visitor in
                try await self.deliveriesPage(visitor)
            }
        }
        router.get("/performance") { request, _ in
            try await self.page(request, roles: Self.roles("/performance")) { visitor in
                let period = try PerformancePeriod(request.uri.queryParameters)
                let rows = try await self.queries.performance(from: period.start, to: period.end)
                return self.render(
                    "performance", title: "Regional performance",
                    data: [
                        "chart": PerformanceChart.svg(rows), "from": period.from?.description ?? "",
                        "to": period.to?.description ?? "", "query": period.query,
                        "rows": rows.map { row in
                            [
                                "name": row.name ?? row.peer.rawValue, "sent": row.sent, "received": row.received,
                                "theirs": PerformanceChart.summary(row.theirAnswers),
                                "ours": PerformanceChart.summary(row.ourAnswers),
                                "level1": row.escalatedToLevel[0], "level2": row.escalatedToLevel[1],
                                "exhausted": row.escalatedToLevel[2], "green": row.rag.green,
                                "amber": row.rag.amber, "red": row.rag.red,
                            ] as [String: Any]
                        },
                    ], visitor: visitor, warnings: await self.warnings(visitor), current: "/performance")
            }
        }
        router.get("/performance.csv") { request, _ in
            try await self.page(request, roles: Self.roles("/performance")) { _ in
                let period = try PerformancePeriod(request.uri.queryParameters)
                return LocalAPI.performanceCSV(try await self.queries.performance(from: period.start, to: period.end))
            }
        }
    }

    static func roles(_ href: String) -> Set<UserRole> {
        menu.first { $0.href == href }?.roles ?? []
    }

    /// Certificate and directory warnings from 60 days out, for the people who can act on them.
    func warnings(_ visitor: Visitor) async -> [String] {
        guard [.operator, .admin].contains(visitor.user.role), let health else { return [] }
        return await health.trustStatus().warnings
    }

    func peerNames() async -> [AuthorityID: String] {
        await queries.authorityNames()
    }

    private func outstandingPage(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let query = request.uri.queryParameters
        let side = query["direction"].flatMap { CaseSide(direction: String($0)) }
        let rag = query["rag"].flatMap { RAGStatus(rawValue: String($0)) }
        let candidate = query["candidate"].map(String.init) ?? ""
        let offset = max(0, query["offset"].flatMap { Int(String($0)) } ?? 0)
        // Most urgent first, ordered and paged in SQL.
        let page = try await queries.outstanding(
            CaseFilter(side: side, rag: rag, candidate: candidate.isEmpty ? nil : candidate), limit: Self.pageSize,
            offset: offset)
        let names = await peerNames()
        let rows = page.items.map { item in
            [
                "caseID": item.caseID, "shortID": String(item.caseID.prefix(8)), "rag": item.rag.rawValue,
                "ragLabel": Self.ragLabel(item.rag),
                "direction": item.side == .requester ? "Sent to" : "Received from",
                "peerName": names[item.peer] ?? item.peer.rawValue, "candidateName": item.candidateName,
                "role": item.role.rawValue, "timeLeft": Self.timeLeft(item.workingSecondsLeft, rag: item.rag),
                "escalation": Self.escalationLabel(item.escalationLevel),
            ] as [String: Any]
        }
        func options<T: Equatable>(_ all: [(T?, String)], _ chosen: T?, value: (T) -> String) -> [[String: Any]] {
            all.map { ["value": $0.0.map(value) ?? "", "label": $0.1, "selected": $0.0 == chosen] }
        }
        return render(
            "outstanding", title: "Outstanding requests",
            data: [
                "rows": rows, "total": page.total, "candidate": candidate,
                "pager": Self.pager(page, path: "/outstanding", request: request) as Any,
                "directions": options(
                    [(nil, "Both"), (.requester, "Sent by us"), (.responder, "Owed by us")] as [(CaseSide?, String)],
                    side, value: \.direction),
                "rags": options(
                    [
                        (nil, "All"), (.red, "Red – overdue"), (.amber, "Amber – due within a working day"),
                        (.green, "Green – on track"),
                    ]
                        as [(RAGStatus?, String)], rag, value: \.rawValue),
            ], visitor: visitor, warnings: await warnings(visitor), current: "/outstanding")
    }

    private func casePage(_ id: String, _ visitor: Visitor, done: String? = nil) async throws -> Response {
        let flash: String? =
            switch done {
            case "sent":
                "Request sent. It is signed and delivered to the authority; you will be e-mailed when it is answered."
            case "answered": "Answer sent."
            case "decided": "Decision recorded."
            case "held": "The case is under a legal hold."
            case "released": "The legal hold is released."
            default: nil
            }
        let detail = try await queries.detail(caseID: id)
        let names = await peerNames()
        let record = detail.case
        let timeline = detail.timeline.map { entry in
            [
                "at": Self.formatted(entry.at), "action": entry.action.rawValue,
                "actor": entry.actor.map { "\($0.name) (\($0.role))" } ?? "this node",
                "detail": (entry.detail ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                    .joined(separator: ", "),
            ]
        }
        let messages = detail.messages.map { entry in
            [
                "kind": entry.message.kind.rawValue, "direction": entry.message.direction.rawValue,
                "sentAt": Self.formatted(entry.message.sentAt),
                "receipt": entry.receipt.map { _ in "receipted" } ?? (entry.delivery?.state.rawValue ?? "–"),
            ]
        }
        let canEscalate =
            record.side == .requester && record.status != .awaitingResponse
            && [.recruiter, .serviceManager, .headOfService].contains(visitor.user.role)
        let role = visitor.user.role
        let owed = record.side == .responder && (record.status == .awaitingResponse || record.escalationLevel > 0)
        let canAnswer =
            owed && (role == .responder || (role.escalationRole != nil && record.escalationLevel >= 1))
        let mayHold = LocalAPI.roles(.post, "/cases/{id}/legal-hold").contains(role)
        let concern = RetentionRule.isConcern(
            status: record.status, highestEscalationLevel: record.highestEscalationLevel, decided: false)
        return render(
            "case", title: "Case for \(record.candidateName)",
            data: [
                "caseID": record.id, "status": record.status.rawValue, "rag": detail.outstanding?.rag.rawValue as Any,
                "ragLabel": detail.outstanding.map { Self.ragLabel($0.rag) } ?? "",
                "direction": record.side == .requester ? "Sent to" : "Received from",
                "peerName": names[record.peer] ?? record.peer.rawValue, "candidateName": record.candidateName,
                "role": record.candidateRole.rawValue, "respondBy": Self.formatted(record.respondBy),
                "timeLeft": detail.outstanding.map { Self.timeLeft($0.workingSecondsLeft, rag: $0.rag) } as Any,
                "escalation": Self.escalationLabel(record.escalationLevel), "timeline": timeline,
                "messages": messages, "canEscalate": canEscalate, "csrf": visitor.csrf,
                "canAnswer": canAnswer, "canDecide": role == .headOfService && concern,
                "canHold": mayHold && detail.legalHold == nil, "canRelease": mayHold && detail.legalHold != nil,
                "holdReason": detail.legalHold?.reason as Any,
                "holdBy": detail.legalHold.map { "\($0.setBy.name), \(Self.formatted($0.setAt))" } as Any,
                "hasDecisions": !detail.decisions.isEmpty,
                "decisions": detail.decisions.map {
                    [
                        "decision": $0.decision.title, "reason": $0.reason,
                        "by": "\($0.decidedBy.name) (\($0.decidedBy.role))", "at": Self.formatted($0.decidedAt),
                    ]
                },
                "response": detail.response.map { response -> [String: Any] in
                    [
                        "outcome": detail.case.status.rawValue,
                        "responder": "\(response.responder.name) (\(response.responder.role.rawValue))",
                        "refereeRole": response.findings.refereeActualRole
                            + (response.findings.refereePosition.map { " — \($0.title)" } ?? ""),
                        "concerns": response.findings.concerns as Any,
                    ]
                } as Any,
            ], visitor: visitor, warnings: await warnings(visitor), flash: flash)
    }

    private func escalationsPage(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let role = visitor.user.role.escalationRole
        // A manager's inbox: what peers raised to this authority's holders of their role.
        let escalations = try await queries.escalations(role: role, receivedOnly: role != nil)
        let rows = escalations.map { escalation in
            let state =
                escalation.closedAt != nil
                ? "Closed"
                : escalation.acknowledgedBy.map { "Acknowledged by \($0.name)" } ?? "Not acknowledged"
            return [
                "id": escalation.id, "shortID": String(escalation.id.prefix(8)), "caseID": escalation.caseID,
                "shortCase": String(escalation.caseID.prefix(8)), "level": "Level \(escalation.level)",
                "reason": escalation.reason.rawValue, "note": escalation.note as Any,
                "raisedBy": "\(escalation.raisedBy.name) (\(escalation.raisedBy.role))",
                "dueAt": Self.formatted(escalation.dueAt), "state": state, "csrf": visitor.csrf,
                // A manager's list holds only escalations received here, so each may be theirs to acknowledge.
                "canAcknowledge": role == escalation.role && escalation.acknowledgedAt == nil
                    && escalation.closedAt == nil,
            ] as [String: Any]
        }
        let caption =
            role.map { "Raised to this authority's \($0 == .serviceManager ? "service managers" : "heads of service")" }
            ?? "All escalations, raised and received"
        let done = request.uri.queryParameters["done"] == "acknowledged" ? "Escalation acknowledged." : nil
        return render(
            "escalations", title: "Escalations", data: ["rows": rows, "caption": caption], visitor: visitor,
            warnings: await warnings(visitor), flash: done, current: "/escalations")
    }

    private func candidatePage(_ registration: String, _ request: Request, _ visitor: Visitor) async throws -> Response
    {
        let status = try await queries.candidateStatus(registration: registration)
        let names = await peerNames()
        let done: String? =
            switch request.uri.queryParameters["done"] {
            case "checklist": "Checklist recorded."
            case "appointed": "Appointment recorded."
            case "verified": "Verification recorded."
            case "link": "A one-time link was e-mailed to the agency's compliance contact."
            default: nil
            }
        let appointments = try await queries.appointments(registration: registration)
        return render(
            "candidate", title: status.name ?? registration,
            data: [
                "registration": status.registration, "clearance": status.clearance.rawValue.capitalized,
                "tag": status.clearance == .cleared ? "green" : "red", "reasons": status.reasons,
                "hasReasons": !status.reasons.isEmpty,
                "references": status.references.map {
                    [
                        "caseId": $0.caseId, "shortID": String($0.caseId.prefix(8)),
                        "peerName": names[$0.peer] ?? $0.peer.rawValue, "status": $0.status.rawValue,
                        "route": $0.offline.map {
                            "verified \($0.method.title) with \($0.verifiedWithName) (\($0.verifiedWithOrganisation)) on \($0.verifiedOn), outside the exchange"
                        } ?? ($0.verifiedBy == .signedExchange ? "verified in the signed exchange" : ""),
                    ]
                },
                "offline": status.offlineReferences.map {
                    [
                        "organisation": $0.verifiedWithOrganisation, "method": $0.method.title,
                        "name": $0.verifiedWithName, "on": $0.verifiedOn,
                    ]
                },
                "hasAppointments": !appointments.isEmpty,
                "appointments": appointments.map {
                    [
                        "on": $0.appointedOn, "by": $0.approvedBy.name, "before": $0.beforeClearance,
                        "reason": $0.overrideReason ?? "",
                    ] as [String: Any]
                },
                "canAppoint": LocalAPI.roles(.post, "/candidates/{registration}/appointments").contains(
                    visitor.user.role),
                "canVerifyOutside": LocalAPI.roles(.post, "/candidates/{registration}/offline-verifications")
                    .contains(visitor.user.role),
                "canRecord": visitor.user.role == .recruiter, "csrf": visitor.csrf,
                "dbs": status.checklist.dbsReviewed, "permanent": status.checklist.permanentEmployerReferences,
                "gaps": status.checklist.employmentGapsChallenged,
                "agency": status.agency?.rawValue as Any,
                "agencyChecks": status.agencyChecks.map { checks in
                    [
                        "by": checks.confirmedBy, "method": checks.method.rawValue,
                        "at": MessageCoding.formatInstant(checks.confirmedAt),
                        "summary": checks.complete
                            ? "all three checks confirmed" : checks.missing.joined(separator: "; "),
                    ]
                } as Any,
                "notices": status.agencyNotices.map(\.rawValue).joined(separator: ", "),
                "canSendLink": status.agency != nil
                    && LocalAPI.roles(.post, "/candidates/{registration}/agency-link").contains(visitor.user.role),
            ], visitor: visitor, warnings: await warnings(visitor), flash: done, current: "/candidates")
    }

    private func deliveriesPage(_ visitor: Visitor) async throws -> Response {
        let names = await peerNames()
        let health = try await queries.deliveryHealth()
        let problems = try await queries.deliveryProblems()
        let rows = health.map { peer in
            let state =
                peer.parked > 0
                ? "Parked" : peer.consecutiveFailures > 0 ? "Failing" : peer.backlog > 0 ? "Sending" : "OK"
            return [
                "peerName": names[peer.peer] ?? peer.peer.rawValue, "state": state,
                "tag": state == "OK" || state == "Sending" ? "green" : "red",
                "lastSuccess": peer.lastSuccessAt.map(Self.formatted) ?? "never", "backlog": peer.backlog,
                "oldest": peer.oldestUndeliveredAt.map(Self.formatted) ?? "–", "failures": peer.consecutiveFailures,
                "lastError": peer.lastError as Any, "parked": peer.parked,
                "nextAttempt": peer.nextAttemptAt.map(Self.formatted) ?? "–",
            ] as [String: Any]
        }
        let expiries = await self.health?.trustStatus().expiries ?? []
        return render(
            "deliveries", title: "Delivery health",
            data: [
                "rows": rows,
                "problems": problems.map {
                    [
                        "id": String($0.entry.messageID.prefix(8)), "kind": $0.kind.rawValue,
                        "peerName": names[$0.entry.peer] ?? $0.entry.peer.rawValue, "state": $0.entry.state.rawValue,
                        "attempts": $0.entry.attempts, "lastError": $0.entry.lastProblem ?? $0.entry.lastError ?? "",
                    ] as [String: Any]
                },
                "expiries": expiries.map {
                    [
                        "what": $0.what, "expiresAt": Self.formatted($0.expiresAt),
                        "days": Int($0.daysLeft.rounded(.down)),
                        "warning": $0.warning != nil,
                    ] as [String: Any]
                },
            ], visitor: visitor, warnings: await warnings(visitor), current: "/deliveries")
    }

    // MARK: Words

    static func ragLabel(_ rag: RAGStatus) -> String {
        switch rag {
        case .red: "Red – overdue"
        case .amber: "Amber – due soon"
        case .green: "Green – on track"
        }
    }

    static func timeLeft(_ seconds: Double?, rag: RAGStatus?) -> String {
        guard let seconds else { return "–" }
        // Out of working hours the clock stands still: a red case with no time left is overdue.
        if seconds >= 0, rag == .red { return "Overdue" }
        let hours = abs(seconds) / 3600
        let text =
            hours < 1
            ? "\(Int((abs(seconds) / 60).rounded())) working minutes" : String(format: "%.1f working hours", hours)
        return seconds < 0 ? "Overdue by \(text)" : "\(text) left"
    }

    static func escalationLabel(_ level: Int) -> String {
        switch level {
        case 0: "None"
        case 1: "Level 1 – service manager"
        case 2: "Level 2 – head of service"
        default: "Ladder spent"
        }
    }

    static func formatted(_ date: Date) -> String {
        date.formatted(
            Date.VerbatimFormatStyle(
                format:
                    "\(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
                locale: Locale(identifier: "en_GB"), timeZone: TimeZone(identifier: "Europe/London")!,
                calendar: Calendar(identifier: .gregorian)))
    }

    static func formatted(_ text: String) -> String {
        (try? Date(text, strategy: .iso8601)).map { formatted($0) } ?? text
    }
}
