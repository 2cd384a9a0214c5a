import Foundation
import HTTPTypes
import Hummingbird
import RefGateCore
import RefGateStore

/// Every step of the procedure in the browser, each a page with one form that the server
/// checks (a field error on the page, the form filled again, the command's own words): send a
/// request, answer one, record a para 14 decision or a legal hold, record the appointment, and
/// each person's alerts. Acting is always as the signed-in user.
extension Dashboard {
    func addWorkflow(_ router: Router<LocalRequestContext>) {
        workflow(router, "/requests/new", roles: LocalAPI.roles(.post, "/requests")) { visitor, _ in
            try await self.requestForm()
        } submit: { visitor, form, _ in
            let draft = try self.requestDraft(form.values)
            let sent = try await self.commands.sendRequest(draft, idempotencyKey: nil, by: .user(visitor.user))
            return "/cases/\(sent.record.id)?done=sent"
        }
        workflow(router, "/cases/:id/respond", roles: LocalAPI.roles(.post, "/cases/{id}/response")) { _, id in
            Self.respondForm(caseID: id)
        } submit: { visitor, form, id in
            let values = form.values
            let draft = ResponseDraft(
                outcome: VerificationOutcome(rawValue: values["outcome"] ?? "") ?? .unableToVerify,
                findings: .init(
                    authoredByReferee: values["authoredByReferee"] == "yes",
                    refereeActualRole: values["refereeActualRole"] ?? "",
                    placementDatesConfirmed: values["placementDatesConfirmed"] == "yes",
                    concerns: values["concerns"].flatMap { $0.isEmpty ? nil : $0 },
                    refereePosition: RefereePosition(rawValue: values["refereePosition"] ?? ""),
                    approvedBySeniorManager: values["approvedBySeniorManager"] == "yes"),
                responder: nil)
            _ = try await self.commands.respond(caseID: id, draft, by: .user(visitor.user))
            return "/cases/\(id)?done=answered"
        }
        workflow(router, "/cases/:id/decide", roles: LocalAPI.roles(.post, "/cases/{id}/decisions")) { _, id in
            Self.decisionForm(caseID: id)
        } submit: { visitor, form, id in
            _ = try await self.commands.recordDecision(
                caseID: id, Para14Decision(rawValue: form.values["decision"] ?? "") ?? .other,
                reason: form.values["reason"] ?? "", by: .user(visitor.user))
            return "/cases/\(id)?done=decided"
        }
        workflow(router, "/cases/:id/hold", roles: LocalAPI.roles(.post, "/cases/{id}/legal-hold")) { _, id in
            Self.holdForm(caseID: id)
        } submit: { visitor, form, id in
            _ = try await self.commands.setLegalHold(
                caseID: id, reason: form.values["reason"] ?? "", by: .user(visitor.user))
            return "/cases/\(id)?done=held"
        }
        router.post("/cases/:id/hold/release") { request, context in
            let id: String = try context.parameters.require("id")
            return try await self.form(request, roles: LocalAPI.roles(.post, "/cases/{id}/legal-hold/release")) {
                visitor, _ in
                try await self.commands.liftLegalHold(caseID: id, by: .user(visitor.user))
                return Self.redirect("/cases/\(id)?done=released")
            }
        }
        workflow(
            router, "/candidates/:registration/appoint",
            roles: LocalAPI.roles(.post, "/candidates/{registration}/appointments")
        ) { _, registration in
            Self.appointmentForm(registration: registration)
        } submit: { visitor, form, registration in
            let reason = form.values["overrideReason"].flatMap { $0.isEmpty ? nil : $0 }
            _ = try await self.commands.recordAppointment(
                registration: registration,
                AppointmentInput(appointedOn: form.values["appointedOn"] ?? "", overrideReason: reason),
                by: .user(visitor.user))
            return "/candidates/\(registration)?done=appointed"
        }
        workflow(
            router, "/candidates/:registration/verified-outside",
            roles: LocalAPI.roles(.post, "/candidates/{registration}/offline-verifications")
        ) { _, registration in
            try await self.offlineForm(registration: registration)
        } submit: { visitor, form, registration in
            let values = form.values
            func text(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
            guard let method = OfflineVerification.Method(rawValue: values["method"] ?? "") else {
                throw RefGateError(.invalidInput, "choose how the reference was verified")
            }
            _ = try await self.commands.recordOfflineVerification(
                registration: registration,
                OfflineVerificationInput(
                    caseId: text("caseId"), method: method, verifiedWithName: values["verifiedWithName"] ?? "",
                    verifiedWithOrganisation: values["verifiedWithOrganisation"] ?? "",
                    verifiedOn: values["verifiedOn"] ?? "", documentSHA256: text("documentSHA256")),
                by: .user(visitor.user))
            return "/candidates/\(registration)?done=verified"
        }
        workflow(router, "/me/alerts", roles: LocalAPI.roles(.put, "/me/alerts")) { visitor, _ in
            let channels = try await self.accounts.channels(user: visitor.user.id)
            var page = Self.alertsForm(channels.available)
            for setting in try await self.accounts.alerts(user: visitor.user.id) {
                page.values[setting.event.rawValue] = setting.on ? "yes" : ""
            }
            for channel in channels.channels { page.values["channel-\(channel.rawValue)"] = "yes" }
            page.values["phone"] = channels.phone ?? ""
            return page
        } submit: { visitor, form, _ in
            let off = AlertEvent.allCases.filter { form.values[$0.rawValue] != "yes" }
            let chosen = PersonalChannel.allCases.filter { form.values["channel-\($0.rawValue)"] == "yes" }
            _ = try await self.accounts.setChannels(
                user: visitor.user.id, ChannelsInput(channels: chosen, phone: form.values["phone"] ?? ""))
            _ = try await self.accounts.setAlerts(
                user: visitor.user.id, off: Set(off), by: Principal.user(visitor.user).auditActor)
            return "/me/alerts?done=saved"
        }
    }

    /// A GET that shows `make`'s form and a POST that runs `submit`, re-showing the form with
    /// its errors (status 400, or the refusal's own) and the values typed.
    private func workflow(
        _ router: Router<LocalRequestContext>, _ path: String, roles: Set<UserRole>,
        make: @escaping @Sendable (Visitor, String) async throws -> FormPage,
        submit: @escaping @Sendable (Visitor, FormPage, String) async throws -> String
    ) {
        router.get(RouterPath(path)) { request, context in
            let id = context.parameters.get("id") ?? context.parameters.get("registration") ?? ""
            return try await self.page(request, roles: roles) { visitor in
                var page = try await make(visitor, id)
                let flash = request.uri.queryParameters["done"] == "saved" ? "Saved." : nil
                page.values.merge(Self.prefill(request), uniquingKeysWith: { _, new in new })
                return self.render(
                    "form", title: Self.title(path), data: page.data(csrf: visitor.csrf), visitor: visitor,
                    flash: flash)
            }
        }
        router.post(RouterPath(path)) { request, context in
            let id = context.parameters.get("id") ?? context.parameters.get("registration") ?? ""
            return try await self.form(request, roles: roles) { visitor, fields in
                var page = try await make(visitor, id)
                page.values = fields.filter { $0.key != "csrf" }
                page.checkRequired()
                var status = HTTPResponse.Status.badRequest
                if page.errors.isEmpty {
                    do {
                        return Self.redirect(try await submit(visitor, page, id))
                    } catch let error as RefGateError where error.code.fault == .client {
                        page.add(error, fieldsByMention: Self.mentions)
                        status = ProblemDetails.status(for: error.code)
                    }
                }
                return self.render(
                    "form", title: "Error: " + Self.title(path), data: page.data(csrf: visitor.csrf),
                    visitor: visitor, status: status)
            }
        }
    }

    /// Field ids by what a command's refusal says about them.
    static let mentions: [String: String] = [
        "/candidate/registration": "registration", "registration": "registration", "/candidate/name": "candidateName",
        "/reference/placementStart": "placementStart", "/reference/placementEnd": "placementEnd",
        "/reference/dateGiven": "dateGiven", "/reference/refereeName": "refereeName", "/agency": "agency",
        "Companies House": "companiesHouseNumber", "candidateEmail": "candidateEmail",
        "refereePosition": "refereePosition", "responder-not-senior-enough": "outcome", "para 5": "outcome",
        "appointedOn": "appointedOn", "overrideReason": "overrideReason", "not cleared": "appointedOn",
        "give a reason": "reason", "directory": "to", "verifiedOn": "verifiedOn", "documentSHA256": "documentSHA256",
        "verifiedWithName": "verifiedWithName", "verifiedWithOrganisation": "verifiedWithOrganisation",
        "signed answer": "caseId", "no case": "caseId", "mobile number": "phone", "text messages": "phone",
    ]

    private static func title(_ path: String) -> String {
        switch path {
        case "/requests/new": "Send a request to verify a reference"
        case "/cases/:id/respond": "Answer a request to verify a reference"
        case "/cases/:id/decide": "Record a para 14 decision"
        case "/cases/:id/hold": "Put the case under a legal hold"
        case "/candidates/:registration/appoint": "Record the appointment"
        case "/candidates/:registration/verified-outside": "Record a reference verified outside the exchange"
        default: "My alerts"
        }
    }

    /// Values a link may fill in (`?to=E08000006`), never the CSRF token.
    private static func prefill(_ request: Request) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where key != "csrf" && key != "done" {
            values[String(key)] = String(value)
        }
        return values
    }

    // MARK: The forms

    private func requestForm() async throws -> FormPage {
        let names = await peerNames()
        let peers = names.filter { $0.key != commands.authority }.sorted { $0.value < $1.value }
        return FormPage(
            action: "/requests/new", submit: "Send the request", submitID: "send-request",
            intro:
                "The authority that gave the reference is asked to verify it urgently (paragraph 6); you are the requester.",
            fields: [
                .init(
                    id: "to", label: "Authority that gave the reference", kind: .select,
                    options: peers.map { ($0.key.rawValue, $0.value) }),
                .init(id: "candidateName", label: "Candidate's full name", kind: .text),
                .init(
                    id: "regulator", label: "Regulator", kind: .select,
                    options: ProfessionalRegistration.Regulator.allCases.map { ($0.rawValue, $0.title) }),
                .init(
                    id: "registration", label: "Registration number", kind: .text,
                    hint: "SW and digits for Social Work England; digits for the others"),
                .init(
                    id: "role", label: "Role applied for", kind: .radios,
                    options: [("qualified-social-worker", "Qualified social worker"), ("team-manager", "Team manager")]),
                .init(id: "agency", label: "Agency", kind: .text),
                .init(
                    id: "companiesHouseNumber", label: "Agency's Companies House number", kind: .text,
                    hint: "8 characters, e.g. 01234567 or SC123456: the agency's key across the region",
                    required: false),
                .init(
                    id: "candidateEmail", label: "Candidate's e-mail address (optional)", kind: .text,
                    hint:
                        "They are told, as the agency is, that the appointment waits for the references (paragraph 8)",
                    required: false),
                .init(id: "refereeName", label: "Referee's name, as on the reference", kind: .text),
                .init(id: "refereeStatedRole", label: "Referee's role, as stated on the reference", kind: .text),
                .init(id: "team", label: "Team the candidate worked in", kind: .text),
                .init(id: "placementStart", label: "Placement start", kind: .date),
                .init(id: "placementEnd", label: "Placement end", kind: .date),
                .init(id: "dateGiven", label: "Date the reference was given", kind: .date),
            ], values: ["regulator": "social-work-england"])
    }

    private func requestDraft(_ values: [String: String]) throws -> RequestDraft {
        guard let to = AuthorityID(rawValue: values["to"] ?? "") else {
            throw RefGateError(.invalidInput, "choose an authority from the directory")
        }
        guard let role = CandidateRole(rawValue: values["role"] ?? "") else {
            throw RefGateError(.invalidInput, "choose the role applied for")
        }
        func value(_ key: String) -> String { (values[key] ?? "").trimmingCharacters(in: .whitespaces) }
        return RequestDraft(
            to: to,
            candidate: .init(
                name: value("candidateName"),
                registration: .init(body: value("regulator"), number: value("registration"))),
            role: role,
            agency: .init(
                name: value("agency"),
                companiesHouseNumber: try value("companiesHouseNumber").isEmpty
                    ? nil : CompaniesHouseNumber(validating: value("companiesHouseNumber"))),
            reference: .init(
                refereeName: value("refereeName"), refereeStatedRole: value("refereeStatedRole"), team: value("team"),
                placementStart: value("placementStart"), placementEnd: value("placementEnd"),
                dateGiven: value("dateGiven")),
            requester: nil, candidateEmail: value("candidateEmail").isEmpty ? nil : value("candidateEmail"))
    }

    private static let yesNo = [("yes", "Yes"), ("no", "No")]

    private static func respondForm(caseID: String) -> FormPage {
        FormPage(
            action: "/cases/\(caseID)/respond", submit: "Send the answer", submitID: "send-answer",
            intro:
                "You answer as yourself, at the seniority your account records. A team manager's reference must be answered by a service manager or more senior (paragraph 5).",
            fields: [
                .init(
                    id: "outcome", label: "Outcome", kind: .radios,
                    options: [
                        ("verified", "Verified: the reference is genuine"),
                        ("not-verified", "Not verified: the reference is not genuine"),
                        ("referee-ineligible", "Referee ineligible (paragraph 5)"),
                        ("unable-to-verify", "Unable to verify"),
                    ]),
                .init(id: "authoredByReferee", label: "Did the named referee write it?", kind: .radios, options: yesNo),
                .init(
                    id: "refereePosition", label: "The referee's actual position, from your records", kind: .radios,
                    hint:
                        "Paragraph 5: not colleagues or first-line managers; a team manager's reference completed or approved by a service manager or above",
                    options: RefereePosition.allCases.map { ($0.rawValue, $0.title) }),
                .init(id: "refereeActualRole", label: "Their job title, in words", kind: .text),
                .init(
                    id: "approvedBySeniorManager", label: "Did a suitably senior manager complete or approve it?",
                    kind: .radios, options: yesNo),
                .init(
                    id: "placementDatesConfirmed", label: "Do the placement dates match your records?", kind: .radios,
                    options: yesNo),
                .init(id: "concerns", label: "Concerns to pass on", kind: .textarea, required: false),
            ])
    }

    private static func decisionForm(caseID: String) -> FormPage {
        FormPage(
            action: "/cases/\(caseID)/decide", submit: "Record the decision", submitID: "record-decision",
            intro:
                "Paragraph 14: action with the regulator or, if necessary, legal action where references were falsified or fitness to practise is in doubt.",
            fields: [
                .init(
                    id: "decision", label: "Decision", kind: .radios,
                    options: Para14Decision.allCases.map { ($0.rawValue, $0.title) }),
                .init(id: "reason", label: "Reason", kind: .textarea),
            ])
    }

    private static func holdForm(caseID: String) -> FormPage {
        FormPage(
            action: "/cases/\(caseID)/hold", submit: "Put under legal hold", submitID: "set-hold",
            intro: "Retention will not remove this case's personal data until the hold is released.",
            fields: [.init(id: "reason", label: "Why the case must be kept", kind: .textarea)])
    }

    private static func appointmentForm(registration: String) -> FormPage {
        FormPage(
            action: "/candidates/\(registration)/appoint", submit: "Record the appointment",
            submitID: "record-appointment",
            intro:
                "Refused while the candidate is not cleared (paragraphs 7–9), unless a head of service gives a reason.",
            fields: [
                .init(id: "appointedOn", label: "Date of appointment", kind: .date),
                .init(
                    id: "overrideReason", label: "Reason to appoint before clearance", kind: .textarea,
                    hint: "Heads of service only; recorded, audited and shown red", required: false),
            ])
    }

    private func offlineForm(registration: String) async throws -> FormPage {
        let status = try await queries.candidateStatus(registration: registration)
        let names = await peerNames()
        let open = status.references.filter { AppointmentGate.mayVerifyOutside($0.status) && $0.verifiedBy == nil }
        return FormPage(
            action: "/candidates/\(registration)/verified-outside", submit: "Record the verification",
            submitID: "record-verification",
            intro:
                "Paragraphs 6–7: verified verbally, in writing or both. For a request still awaiting its answer the signed request goes on, and the gate says which route verified it.",
            fields: [
                .init(
                    id: "caseId", label: "The request it stands for", kind: .select,
                    hint: "Leave unchosen for a referee outside the region or not a local authority",
                    options: open.map { ($0.caseId, "\(names[$0.peer] ?? $0.peer.rawValue) (\($0.status.rawValue))") },
                    required: false),
                .init(
                    id: "method", label: "How it was verified", kind: .radios,
                    options: OfflineVerification.Method.allCases.map {
                        ($0.rawValue, $0.title.prefix(1).uppercased() + $0.title.dropFirst())
                    }),
                .init(id: "verifiedWithName", label: "Who you spoke or wrote to", kind: .text),
                .init(id: "verifiedWithOrganisation", label: "Their authority or employer", kind: .text),
                .init(id: "verifiedOn", label: "When", kind: .date),
                .init(
                    id: "documentSHA256", label: "SHA-256 of the written confirmation", kind: .text,
                    hint: "Optional: 64 hex digits, as sha256sum prints them", required: false),
            ])
    }

    private static func alertsForm(_ available: [PersonalChannel]) -> FormPage {
        FormPage(
            action: "/me/alerts", submit: "Save my alerts", submitID: "save-alerts",
            intro: "Alerts to you, and how they reach you. Escalations always go and cannot be turned off.",
            fields: AlertEvent.allCases.map { .init(id: $0.rawValue, label: $0.description, kind: .checkbox) }
                + available.map {
                    .init(
                        id: "channel-\($0.rawValue)",
                        label: $0 == .email ? "Tell me by e-mail" : "Tell me by text message",
                        kind: .checkbox)
                }
                + (available.contains(.sms)
                    ? [
                        .init(
                            id: "phone", label: "Mobile number for text messages", kind: .text,
                            hint: "For example 07700 900123", required: false)
                    ] : []))
    }
}
