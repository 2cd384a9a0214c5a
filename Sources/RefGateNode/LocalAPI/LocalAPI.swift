import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RefGateCore
import RefGateStore

/// The local API `/api/v1`: what people and the `refgate` CLI use, apart from the peer API.
/// Every endpoint but `/healthz`, `/readyz` and `/metrics` needs a bearer token, and allows only
/// the roles in its row of ``endpoints``.
public struct LocalAPI: Sendable {
    // The engine parts it calls, and nothing else of the engine.
    let commands: Commands
    let queries: Queries
    let audit: AuditTrail
    let personalData: PersonalData
    let accounts: Accounts
    let agencies: Agencies
    let region: RegionalExchange
    let token: String
    let status: @Sendable () async throws -> NodeStatus
    let installDirectory: @Sendable (String) async throws -> Int
    /// Readiness, metrics and trust status; nil in tests that need none.
    var health: NodeHealth? = nil
    /// Taking back from peers what a restore lost; nil in tests that need none.
    var recovery: PeerRecovery? = nil

    /// One endpoint and the roles it allows.
    public struct Endpoint: Sendable, Hashable {
        /// HTTP method.
        public var method: HTTPRequest.Method
        /// Path under `/api/v1`, with `{name}` parameters as in OpenAPI.
        public var path: String
        /// Roles allowed.
        public var roles: Set<UserRole>
    }

    // Who needs what. Reading cases is open to every role (each works from cases); changing
    // them is open only to the role the procedure gives the action.
    static let everyone = Set(UserRole.allCases)
    static let operators: Set<UserRole> = [.operator, .admin]
    static let managers: Set<UserRole> = [.serviceManager, .headOfService]

    /// The roles allowed to call `method path` (none for an unknown endpoint): the one table
    /// the dashboard's pages and forms use too.
    public static func roles(_ method: HTTPRequest.Method, _ path: String) -> Set<UserRole> {
        endpoints.first { $0.method == method && $0.path == path }?.roles ?? []
    }

    /// Every endpoint with its roles: the authorization matrix.
    public static let endpoints: [Endpoint] = [
        .init(method: .get, path: "/me", roles: everyone),
        .init(method: .get, path: "/me/alerts", roles: everyone),
        .init(method: .put, path: "/me/alerts", roles: everyone),
        .init(method: .get, path: "/me/channels", roles: everyone),
        .init(method: .put, path: "/me/channels", roles: everyone),
        .init(method: .get, path: "/status", roles: operators),
        .init(method: .post, path: "/requests", roles: [.recruiter]),
        .init(method: .get, path: "/cases", roles: everyone),
        .init(method: .get, path: "/cases/{id}", roles: everyone),
        // Managers answer only a case escalated to them (the command checks the case's level).
        .init(method: .post, path: "/cases/{id}/response", roles: managers.union([.responder])),
        .init(method: .post, path: "/cases/{id}/escalations", roles: managers.union([.recruiter])),
        .init(method: .get, path: "/cases/{id}/evidence", roles: operators.union([.headOfService])),
        .init(method: .post, path: "/cases/{id}/decisions", roles: [.headOfService]),
        .init(method: .post, path: "/cases/{id}/legal-hold", roles: [.headOfService, .admin]),
        .init(method: .post, path: "/cases/{id}/legal-hold/release", roles: [.headOfService, .admin]),
        .init(method: .get, path: "/escalations", roles: managers.union(operators)),
        .init(method: .post, path: "/escalations/{id}/acknowledgement", roles: managers),
        .init(method: .get, path: "/candidates", roles: [.recruiter, .headOfService, .operator]),
        .init(method: .get, path: "/candidates/{registration}", roles: [.recruiter, .headOfService, .operator]),
        .init(method: .post, path: "/candidates/{registration}/checklist", roles: [.recruiter]),
        .init(method: .post, path: "/candidates/{registration}/offline-verifications", roles: [.recruiter]),
        // Heads of service record an appointment before clearance (the command checks the override).
        .init(method: .post, path: "/candidates/{registration}/appointments", roles: [.recruiter, .headOfService]),
        .init(method: .get, path: "/appointments", roles: [.recruiter, .headOfService, .operator, .admin]),
        .init(method: .get, path: "/outstanding", roles: operators.union(managers)),
        .init(method: .get, path: "/deliveries", roles: operators),
        .init(method: .get, path: "/deliveries/problems", roles: operators),
        .init(method: .post, path: "/deliveries/retry", roles: operators),
        .init(method: .get, path: "/trust", roles: operators),
        .init(method: .post, path: "/directory", roles: [.admin]),
        .init(method: .get, path: "/performance", roles: operators.union(managers)),
        .init(method: .get, path: "/performance.csv", roles: operators.union(managers)),
        .init(method: .post, path: "/audit/heads", roles: operators),
        .init(method: .post, path: "/retention/run", roles: [.admin]),
        .init(method: .post, path: "/recovery", roles: [.admin]),
        .init(method: .get, path: "/subjects/{registration}", roles: [.admin]),
        .init(method: .get, path: "/users", roles: [.admin]),
        .init(method: .post, path: "/users", roles: [.admin]),
        .init(method: .patch, path: "/users/{id}", roles: [.admin]),
        .init(method: .get, path: "/users/{id}/tokens", roles: [.admin]),
        .init(method: .post, path: "/users/{id}/tokens", roles: [.admin]),
        .init(method: .post, path: "/users/{id}/tokens/{token}/revocation", roles: [.admin]),
        .init(method: .post, path: "/users/{id}/sign-in-codes", roles: [.admin]),
        .init(method: .post, path: "/users/{id}/revocation", roles: [.admin]),
        // Agencies (para 3): recruiters pick and add them; operators merge duplicates; concerns
        // are recorded by recruiters and managers and read by managers.
        .init(
            method: .get, path: "/agencies", roles: [.recruiter, .serviceManager, .headOfService, .operator, .admin]),
        .init(method: .post, path: "/agencies", roles: [.recruiter, .admin]),
        .init(method: .post, path: "/agencies/{number}/merge", roles: operators),
        .init(method: .get, path: "/agencies/{number}/concerns", roles: managers),
        .init(method: .post, path: "/agencies/{number}/concerns", roles: managers.union([.recruiter])),
        .init(method: .post, path: "/candidates/{registration}/agency-checks", roles: [.recruiter]),
        .init(method: .post, path: "/candidates/{registration}/agency-link", roles: [.recruiter]),
        // The regional picture: the coordinator's operators and heads of service.
        .init(method: .get, path: "/region", roles: operators.union([.headOfService])),
        .init(method: .get, path: "/region.csv", roles: operators.union([.headOfService])),
        .init(method: .post, path: "/region/figures", roles: operators),
    ]

    /// Adds the API's routes (and the unauthenticated probes) to a router.
    public func add(to router: Router<LocalRequestContext>) {
        router.get("/healthz") { _, _ in Self.json(["status": "ok"]) }
        // Readiness and metrics need no token: they hold no personal data, and monitoring
        // scrapes them.
        if let health {
            router.get("/readyz") { _, _ in
                let readiness = await health.readiness()
                return Self.json(readiness, status: readiness.ready ? .ok : .serviceUnavailable)
            }
            router.get("/metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: try await health.metricsText())))
            }
        }
        let group = router.group("/api/v1").add(
            middleware: AuthenticationMiddleware(nodeToken: token, accounts: accounts))
        let routes = Routes(group: group)
        addCases(routes)
        addEscalationsAndCandidates(routes)
        addOperations(routes)
        addUsers(routes)
        addAgenciesAndRegion(routes)
    }

    /// A router with only the API (tests).
    public func router() -> Router<LocalRequestContext> {
        let router = Router(context: LocalRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        add(to: router)
        return router
    }

    private func addCases(_ routes: Routes) {
        routes.on(.get, "/me") { _, _, principal in Self.json(principal.user ?? .nodeToken) }
        routes.on(.get, "/me/alerts") { _, _, principal in
            Self.json(try await self.accounts.alerts(user: try Self.person(principal).id))
        }
        routes.on(.put, "/me/alerts") { request, context, principal in
            let input = try await Self.decode(AlertsInput.self, from: request, context: context)
            return Self.json(
                try await self.accounts.setAlerts(
                    user: try Self.person(principal).id, off: Set(input.off), by: principal.auditActor))
        }
        routes.on(.get, "/me/channels") { _, _, principal in
            Self.json(try await self.accounts.channels(user: try Self.person(principal).id))
        }
        routes.on(.put, "/me/channels") { request, context, principal in
            let input = try await Self.decode(ChannelsInput.self, from: request, context: context)
            return Self.json(try await self.accounts.setChannels(user: try Self.person(principal).id, input))
        }
        routes.on(.get, "/status") { _, _, _ in Self.json(try await status()) }
        routes.on(.post, "/requests") { request, context, principal in
            let key = try Self.idempotencyKey(request)
            let draft = try await Self.decode(RequestDraft.self, from: request, context: context)
            let sent = try await self.commands.sendRequest(draft, idempotencyKey: key, by: principal)
            return Self.json(sent.record, status: sent.replayed ? .ok : .created)
        }
        routes.on(.get, "/cases") { request, _, _ in
            let query = request.uri.queryParameters
            let filter = CaseFilter(
                side: try Self.parse(query["direction"], "direction", CaseSide.init(direction:)),
                status: try Self.parse(query["status"], "status", CaseStatus.init),
                rag: try Self.parse(query["rag"], "rag", RAGStatus.init),
                peer: try query["peer"].map { try AuthorityID(validating: String($0)) },
                overdue: try Self.parse(query["overdue"], "overdue") { ["true": true, "false": false][$0] },
                candidate: query["candidate"].map(String.init))
            return Self.json(
                try await self.queries.cases(
                    filter, limit: try Self.integer(query["limit"], "limit") ?? 50,
                    offset: try Self.integer(query["offset"], "offset") ?? 0))
        }
        routes.on(.get, "/cases/{id}") { _, context, _ in
            Self.json(try await self.queries.detail(caseID: try context.parameters.require("id")))
        }
        routes.on(.post, "/cases/{id}/response") { request, context, principal in
            let draft = try await Self.decode(ResponseDraft.self, from: request, context: context)
            return Self.json(
                try await self.commands.respond(caseID: try context.parameters.require("id"), draft, by: principal))
        }
        routes.on(.post, "/cases/{id}/escalations") { request, context, principal in
            let input = try await Self.decode(EscalationInput.self, from: request, context: context)
            return Self.json(
                try await self.commands.raiseEscalation(
                    caseID: try context.parameters.require("id"), reason: input.reason, raisedBy: input.raisedBy,
                    note: input.note, by: principal),
                status: .created)
        }
        routes.on(.post, "/cases/{id}/decisions") { request, context, principal in
            let input = try await Self.decode(DecisionInput.self, from: request, context: context)
            return Self.json(
                try await self.commands.recordDecision(
                    caseID: try context.parameters.require("id"), input.decision, reason: input.reason,
                    decidedBy: input.decidedBy, by: principal),
                status: .created)
        }
        routes.on(.post, "/cases/{id}/legal-hold") { request, context, principal in
            let input = try await Self.decode(LegalHoldInput.self, from: request, context: context)
            return Self.json(
                try await self.commands.setLegalHold(
                    caseID: try context.parameters.require("id"), reason: input.reason, by: principal,
                    setBy: input.setBy))
        }
        routes.on(.post, "/cases/{id}/legal-hold/release") { _, context, principal in
            let id: String = try context.parameters.require("id")
            try await self.commands.liftLegalHold(caseID: id, by: principal)
            return Self.json(try await self.queries.detail(caseID: id).case)
        }
        routes.on(.get, "/cases/{id}/evidence") { _, context, principal in
            let id: String = try context.parameters.require("id")
            let bundle = try await self.audit.evidence(caseID: id, by: principal.auditActor)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/zip", .contentDisposition: "attachment; filename=\"evidence-\(id).zip\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bundle)))
        }
    }

    private func addEscalationsAndCandidates(_ routes: Routes) {
        routes.on(.get, "/escalations") { request, _, principal in
            let query = request.uri.queryParameters
            // Managers see what is addressed to them; operators see all.
            let role =
                try principal.user?.role.escalationRole
                ?? Self.parse(query["role"], "role", EscalationRole.init)
            // A manager's inbox holds what peers raised to this authority's holders of their role.
            return Self.json(
                try await self.queries.escalations(
                    openOnly: query["open"] == "true", role: role,
                    receivedOnly: principal.user?.role.escalationRole != nil))
        }
        routes.on(.post, "/escalations/{id}/acknowledgement") { request, context, principal in
            let input = try await Self.decode(AcknowledgementInput.self, from: request, context: context)
            let id: String = try context.parameters.require("id")
            return Self.json(
                try await self.commands.acknowledge(
                    escalationID: id, by: input.acknowledgedBy, as: principal.user?.role.escalationRole,
                    principal: principal))
        }
        routes.on(.get, "/candidates") { request, _, _ in
            let query = request.uri.queryParameters
            return Self.json(
                try await self.queries.candidates(
                    limit: try Self.integer(query["limit"], "limit"),
                    offset: try Self.integer(query["offset"], "offset") ?? 0
                ).items)
        }
        routes.on(.get, "/candidates/{registration}") { _, context, _ in
            Self.json(
                try await self.queries.candidateStatus(registration: try context.parameters.require("registration")))
        }
        routes.on(.post, "/candidates/{registration}/offline-verifications") { request, context, principal in
            let input = try await Self.decode(OfflineVerificationInput.self, from: request, context: context)
            return Self.json(
                try await self.commands.recordOfflineVerification(
                    registration: try context.parameters.require("registration"), input, by: principal),
                status: .created)
        }
        routes.on(.post, "/candidates/{registration}/appointments") { request, context, principal in
            let input = try await Self.decode(AppointmentInput.self, from: request, context: context)
            return Self.json(
                try await self.commands.recordAppointment(
                    registration: try context.parameters.require("registration"), input, by: principal),
                status: .created)
        }
        routes.on(.get, "/appointments") { request, _, _ in
            let before = try Self.parse(request.uri.queryParameters["beforeClearance"], "beforeClearance") {
                ["true": true, "false": false][$0]
            }
            return Self.json(try await self.queries.appointments(beforeClearance: before ?? false))
        }
        routes.on(.post, "/candidates/{registration}/checklist") { request, context, principal in
            let input = try await Self.decode(ChecklistInput.self, from: request, context: context)
            return Self.json(
                try await self.commands.recordChecklist(
                    registration: try context.parameters.require("registration"), input.checklist,
                    recordedBy: input.recordedBy, by: principal))
        }
    }

    private func addOperations(_ routes: Routes) {
        let health = self.health
        routes.on(.get, "/outstanding") { request, _, _ in
            let query = request.uri.queryParameters
            let filter = CaseFilter(
                side: try Self.parse(query["direction"], "direction", CaseSide.init(direction:)),
                rag: try Self.parse(query["rag"], "rag", RAGStatus.init),
                peer: try query["peer"].map { try AuthorityID(validating: String($0)) },
                candidate: query["candidate"].map(String.init))
            return Self.json(
                try await self.queries.outstanding(
                    filter, limit: try Self.integer(query["limit"], "limit"),
                    offset: try Self.integer(query["offset"], "offset") ?? 0
                ).items)
        }
        routes.on(.get, "/deliveries") { _, _, _ in Self.json(try await self.queries.deliveryHealth()) }
        routes.on(.get, "/deliveries/problems") { _, _, _ in Self.json(try await self.queries.deliveryProblems()) }
        routes.on(.post, "/deliveries/retry") { request, context, principal in
            let input = try await Self.decode(RetryInput.self, from: request, context: context)
            let peer = try input.peer.map { try AuthorityID(validating: $0) }
            return Self.json([
                "retried": try await self.commands.retryParked(messageID: input.messageId, peer: peer, by: principal)
            ])
        }
        routes.on(.get, "/trust") { _, _, _ in
            guard let health else { throw RefGateError(.notFound, "this node reports no trust status") }
            return Self.json(await health.trustStatus())
        }
        routes.on(.post, "/directory") { request, _, _ in
            let body = try await request.body.collect(upTo: 4 << 20)
            let version = try await installDirectory(
                String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines))
            return Self.json(["installedVersion": version])
        }
        routes.on(.get, "/performance") { request, _, _ in
            let period = try PerformancePeriod(request.uri.queryParameters)
            return Self.json(try await self.queries.performance(from: period.start, to: period.end))
        }
        routes.on(.get, "/performance.csv") { request, _, _ in
            let period = try PerformancePeriod(request.uri.queryParameters)
            return Self.performanceCSV(try await self.queries.performance(from: period.start, to: period.end))
        }
        routes.on(.post, "/audit/heads") { _, _, _ in
            let head = try await self.audit.makeHead()
            return Self.json(
                AuditHeadOutput(
                    treeSize: head.treeSize, rootHash: head.rootHash.hexEncoded, madeAt: head.madeAt, jws: head.jws),
                status: .created)
        }
        routes.on(.post, "/retention/run") { request, _, principal in
            let dryRun = request.uri.queryParameters["dryRun"] == "true"
            return Self.json(try await self.personalData.runRetention(dryRun: dryRun, by: principal.auditActor))
        }
        routes.on(.post, "/recovery") { request, context, principal in
            guard let recovery = self.recovery else { throw RefGateError(.notFound, "this node cannot recover") }
            let body = try await request.body.collect(upTo: 4096)
            let input =
                body.readableBytes == 0
                ? RecoveryInput() : try LocalJSONDecoder.decode(RecoveryInput.self, from: Data(buffer: body))
            // The audit log names who asked (the signed-in admin, or the node's own token).
            return Self.json(try await recovery.run(since: input.since, by: principal.auditActor))
        }
        routes.on(.get, "/subjects/{registration}") { _, context, principal in
            Self.json(
                try await self.personalData.subjectExport(
                    registration: try context.parameters.require("registration"), by: principal.auditActor))
        }
    }

    private func addUsers(_ routes: Routes) {
        routes.on(.get, "/users") { _, _, _ in Self.json(try await self.accounts.list()) }
        routes.on(.post, "/users") { request, context, principal in
            let input = try await Self.decode(UserInput.self, from: request, context: context)
            return Self.json(
                try await self.accounts.add(
                    name: input.name, email: input.email, role: input.role, jobTitle: input.jobTitle,
                    seniority: input.seniority, tokenDays: input.tokenExpiresInDays, by: principal.auditActor),
                status: .created)
        }
        routes.on(.patch, "/users/{id}") { request, context, principal in
            let input = try await Self.decode(UserUpdateInput.self, from: request, context: context)
            guard input.jobTitle != nil || input.seniority != nil || input.oidcSubject != nil else {
                throw RefGateError(.invalidInput, "give a jobTitle, a seniority, an oidcSubject or several")
            }
            let id: String = try context.parameters.require("id")
            if let subject = input.oidcSubject {
                guard subject.count <= 256 else {
                    throw RefGateError(.invalidInput, "oidcSubject is at most 256 characters")
                }
                let bound = try await self.accounts.bindOIDCSubject(
                    user: id, subject: subject.isEmpty ? nil : subject, by: principal.auditActor)
                if input.jobTitle == nil && input.seniority == nil { return Self.json(bound) }
            }
            return Self.json(
                try await self.accounts.update(
                    user: id, jobTitle: input.jobTitle, seniority: input.seniority, by: principal.auditActor))
        }
        routes.on(.get, "/users/{id}/tokens") { _, context, _ in
            Self.json(try await self.accounts.tokens(user: try context.parameters.require("id")))
        }
        routes.on(.post, "/users/{id}/tokens") { request, context, principal in
            // The body is optional: none (as before) issues a token that lasts until revoked.
            let body = try await request.body.collect(upTo: 4096)
            let input =
                body.readableBytes == 0
                ? TokenInput()
                : try LocalJSONDecoder.decode(TokenInput.self, from: Data(buffer: body))
            return Self.json(
                try await self.accounts.issueToken(
                    user: try context.parameters.require("id"), days: input.expiresInDays, by: principal.auditActor),
                status: .created)
        }
        routes.on(.post, "/users/{id}/tokens/{token}/revocation") { _, context, principal in
            Self.json(
                try await self.accounts.revokeToken(
                    user: try context.parameters.require("id"), token: try context.parameters.require("token"),
                    by: principal.auditActor))
        }
        routes.on(.post, "/users/{id}/sign-in-codes") { _, context, principal in
            Self.json(
                try await self.accounts.issueSignInCode(
                    user: try context.parameters.require("id"), by: principal.auditActor),
                status: .created)
        }
        routes.on(.post, "/users/{id}/revocation") { _, context, principal in
            Self.json(
                try await self.accounts.revoke(user: try context.parameters.require("id"), by: principal.auditActor))
        }
    }

    /// Regional performance as a CSV download (the API and the dashboard answer the same).
    static func performanceCSV(_ rows: [PeerPerformance]) -> Response {
        let csv = ([PeerPerformance.csvHeader] + rows.map(\.csvRow)).joined(separator: "\r\n") + "\r\n"
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"performance.csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: LocalRequestContext)
        async throws -> T
    {
        try await request.decode(as: T.self, context: context)
    }

    /// The signed-in user; the node's token is no person and has no alerts.
    static func person(_ principal: Principal) throws -> UserView {
        guard let user = principal.user else {
            throw RefGateError(.invalidInput, "the node's token is not a person: sign in as a user to set alerts")
        }
        return user
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> JSONResponse<T> {
        JSONResponse(value: value, status: status)
    }

    /// The `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header): a structured
    /// string (`"…"`) or the bare text, 1 to 255 visible ASCII characters.
    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let field = request.headers[Self.idempotencyKeyField] else { return nil }
        var key = Substring(field)
        if key.count >= 2, key.first == "\"", key.last == "\"" { key = key.dropFirst().dropLast() }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != 0x22 })
        else {
            throw RefGateError(
                .invalidInput,
                "Idempotency-Key must be 1 to 255 visible ASCII characters without quotes inside, such as a UUID")
        }
        return String(key)
    }

    /// The `Idempotency-Key` request header.
    static let idempotencyKeyField = HTTPField.Name("Idempotency-Key")!

    /// A query parameter read by `make`, or `invalid-input` listing what it may be.
    static func parse<T>(_ text: Substring?, _ name: String, _ make: (String) -> T?) throws -> T? {
        guard let text else { return nil }
        guard let value = make(String(text)) else {
            throw RefGateError(.invalidInput, "\(name) '\(text)' is not one this API knows; see schemas/openapi.yaml")
        }
        return value
    }

    static func integer(_ text: Substring?, _ name: String) throws -> Int? {
        try parse(text, name) { Int($0) }
    }
}

/// Body of `POST /api/v1/users`.
public struct UserInput: Codable, Sendable {
    /// Their name.
    public var name: String
    /// Their e-mail address.
    public var email: String
    /// What they may do.
    public var role: UserRole
    /// Their post in the authority's words; its level comes from the node's `jobTitles`.
    public var jobTitle: String?
    /// Their level in the procedure, when not the job title's.
    public var seniority: Seniority?
    /// Days until their first API token expires (none: it lasts until revoked).
    public var tokenExpiresInDays: Int?

    /// Creates an input.
    public init(
        name: String, email: String, role: UserRole, jobTitle: String? = nil, seniority: Seniority? = nil,
        tokenExpiresInDays: Int? = nil
    ) {
        self.name = name
        self.email = email
        self.role = role
        self.jobTitle = jobTitle
        self.seniority = seniority
        self.tokenExpiresInDays = tokenExpiresInDays
    }
}

/// Body of `PATCH /api/v1/users/{id}`: a new job title, level, or both.
public struct UserUpdateInput: Codable, Sendable {
    /// Their post in the authority's words.
    public var jobTitle: String?
    /// Their level in the procedure.
    public var seniority: Seniority?
    /// Their stable subject at the council's OpenID Connect provider (`sub`, or Entra's `oid`);
    /// an empty string unbinds it.
    public var oidcSubject: String?

    /// Creates an input.
    public init(jobTitle: String? = nil, seniority: Seniority? = nil, oidcSubject: String? = nil) {
        self.jobTitle = jobTitle
        self.seniority = seniority
        self.oidcSubject = oidcSubject
    }
}

/// Body of `PUT /api/v1/me/alerts`: the alerts to turn off (all others are on).
public struct AlertsInput: Codable, Sendable {
    /// The alerts turned off.
    public var off: [AlertEvent]

    /// Creates an input.
    public init(off: [AlertEvent]) { self.off = off }
}

/// Body of `POST /api/v1/recovery` (optional).
public struct RecoveryInput: Codable, Sendable {
    /// Ask peers from this time; by default, an hour before the last restored backup was taken.
    public var since: Date?

    /// Creates an input.
    public init(since: Date? = nil) { self.since = since }
}

/// Body of `POST /api/v1/users/{id}/tokens` (optional).
public struct TokenInput: Codable, Sendable {
    /// Days until the token expires (none: it lasts until revoked).
    public var expiresInDays: Int?

    /// Creates an input.
    public init(expiresInDays: Int? = nil) { self.expiresInDays = expiresInDays }
}

/// Body of `POST /api/v1/cases/{id}/escalations`.
public struct EscalationInput: Codable, Sendable {
    /// `unsatisfactory-response` (L1) or `serious-concern` (L2).
    public var reason: EscalationReason
    /// Who raises it: only from the node's token (the CLI); a signed-in user is who raises it.
    public var raisedBy: Person?
    /// Why, in their words.
    public var note: String?

    /// Creates an input.
    public init(reason: EscalationReason, raisedBy: Person?, note: String?) {
        self.reason = reason
        self.raisedBy = raisedBy
        self.note = note
    }
}

/// Body of `POST /api/v1/cases/{id}/decisions`.
public struct DecisionInput: Codable, Sendable {
    /// What was decided.
    public var decision: Para14Decision
    /// Why.
    public var reason: String
    /// Who decided: only from the node's token (the CLI); a signed-in user is who decides.
    public var decidedBy: Person?

    /// Creates an input.
    public init(decision: Para14Decision, reason: String, decidedBy: Person? = nil) {
        self.decision = decision
        self.reason = reason
        self.decidedBy = decidedBy
    }
}

/// Body of `POST /api/v1/cases/{id}/legal-hold`.
public struct LegalHoldInput: Codable, Sendable {
    /// Why the case must be kept.
    public var reason: String
    /// Who sets it: only from the node's token (the CLI); a signed-in user is who does.
    public var setBy: Person?

    /// Creates an input.
    public init(reason: String, setBy: Person? = nil) {
        self.reason = reason
        self.setBy = setBy
    }
}

/// Body of `POST /api/v1/escalations/{id}/acknowledgement`.
public struct AcknowledgementInput: Codable, Sendable {
    /// Who acknowledges: only from the node's token (the CLI); a signed-in user is who does.
    public var acknowledgedBy: Person?

    /// Creates an input.
    public init(acknowledgedBy: Person?) { self.acknowledgedBy = acknowledgedBy }
}

/// Body of `POST /api/v1/candidates/{registration}/checklist`.
public struct ChecklistInput: Codable, Sendable {
    /// The checks.
    public var checklist: SaferRecruitmentChecklist
    /// Who is recording them: only from the node's token (the CLI); a signed-in user is who does.
    public var recordedBy: String?

    /// Creates an input.
    public init(checklist: SaferRecruitmentChecklist, recordedBy: String?) {
        self.checklist = checklist
        self.recordedBy = recordedBy
    }
}

/// Status of a node, for operators.
public struct NodeStatus: Codable, Sendable {
    /// This authority.
    public var authority: AuthorityID
    /// The authority's name from the configuration.
    public var name: String
    /// Directory version in force.
    public var directoryVersion: Int
    /// When that directory expires.
    public var directoryExpiresAt: Date
    /// Outbox entries by state.
    public var outbox: [String: Int]
    /// SQLite `synchronous` mode of the writer (2 = FULL).
    public var databaseSynchronous: Int
}

/// Body of `POST /api/v1/deliveries/retry`: exactly one of the two.
public struct RetryInput: Codable, Sendable {
    /// One parked message to send again.
    public var messageId: String?
    /// A peer whose parked messages all go again (and which is probed at once).
    public var peer: String?

    /// Creates an input.
    public init(messageId: String?, peer: String?) {
        self.messageId = messageId
        self.peer = peer
    }
}

/// Answer of `POST /api/v1/audit/heads`: the signed tree head now covering the whole log.
public struct AuditHeadOutput: Codable, Sendable {
    /// Entries covered.
    public var treeSize: Int
    /// Merkle root, hex.
    public var rootHash: String
    /// When it was signed.
    public var madeAt: Date
    /// The compact JWS.
    public var jws: String
}
