import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RefGateCore
import RefGateStore

/// The loopback admin API the `refgate` commands use until the local API exists.
/// Every route but `/healthz` needs `Authorization: Bearer <token from adminTokenFile>`.
public struct AdminAPI: Sendable {
    let engine: CaseEngine
    let token: String
    let status: @Sendable () async throws -> NodeStatus
    let installDirectory: @Sendable (String) async throws -> Int
    /// Readiness and metrics; nil in tests that need neither.
    var health: NodeHealth? = nil

    /// Builds the router.
    public func router() -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        router.add(middleware: ProblemMiddleware())
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
        let api = router.group("/admin/v1").add(middleware: BearerTokenMiddleware(token: token))
        api.get("/status") { _, _ in Self.json(try await status()) }
        api.post("/requests") { request, context in
            let draft = try await Self.decode(RequestDraft.self, from: request, context: context)
            return Self.json(try await engine.commands.sendRequest(draft), status: .created)
        }
        api.get("/cases") { request, _ in
            let query = request.uri.queryParameters
            let status = try query["status"].map { text in
                guard let status = CaseStatus(rawValue: String(text)) else {
                    throw RefGateError(
                        .invalidInput,
                        "status must be one of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return status
            }
            let side = try query["side"].map { text in
                guard let side = CaseSide(rawValue: String(text)) else {
                    throw RefGateError(.invalidInput, "side must be requester or responder")
                }
                return side
            }
            return Self.json(try await engine.queries.cases(status: status, side: side))
        }
        api.get("/cases/:id") { _, context in
            Self.json(try await engine.queries.detail(caseID: try context.parameters.require("id")))
        }
        api.post("/cases/:id/response") { request, context in
            let draft = try await Self.decode(ResponseDraft.self, from: request, context: context)
            return Self.json(try await engine.commands.respond(caseID: try context.parameters.require("id"), draft))
        }
        api.get("/escalations") { request, _ in
            let query = request.uri.queryParameters
            let role = try query["role"].map { text in
                guard let role = EscalationRole(rawValue: String(text)) else {
                    throw RefGateError(.invalidInput, "role must be service-manager or head-of-service")
                }
                return role
            }
            return Self.json(try await engine.queries.escalations(openOnly: query["open"] == "true", role: role))
        }
        api.post("/cases/:id/escalations") { request, context in
            let input = try await Self.decode(EscalationInput.self, from: request, context: context)
            return Self.json(
                try await engine.commands.raiseEscalation(
                    caseID: try context.parameters.require("id"), reason: input.reason, raisedBy: input.raisedBy,
                    note: input.note),
                status: .created)
        }
        api.post("/escalations/:id/acknowledgement") { request, context in
            let input = try await Self.decode(AcknowledgementInput.self, from: request, context: context)
            return Self.json(
                try await engine.commands.acknowledge(
                    escalationID: try context.parameters.require("id"), by: input.acknowledgedBy))
        }
        api.get("/candidates/:registration") { _, context in
            Self.json(
                try await engine.queries.candidateStatus(registration: try context.parameters.require("registration")))
        }
        api.post("/candidates/:registration/checklist") { request, context in
            let input = try await Self.decode(ChecklistInput.self, from: request, context: context)
            return Self.json(
                try await engine.commands.recordChecklist(
                    registration: try context.parameters.require("registration"), input.checklist,
                    recordedBy: input.recordedBy))
        }
        api.get("/outstanding") { _, _ in Self.json(try await engine.queries.outstanding()) }
        api.get("/deliveries") { _, _ in Self.json(try await engine.queries.deliveryHealth()) }
        api.get("/deliveries/problems") { _, _ in Self.json(try await engine.queries.deliveryProblems()) }
        api.post("/deliveries/retry") { request, context in
            let input = try await Self.decode(RetryInput.self, from: request, context: context)
            let peer = try input.peer.map { try AuthorityID(validating: $0) }
            return Self.json(["retried": try await engine.commands.retryParked(messageID: input.messageId, peer: peer)])
        }
        api.post("/audit/heads") { _, _ in
            let head = try await engine.audit.makeHead()
            return Self.json(
                AuditHeadOutput(
                    treeSize: head.treeSize, rootHash: head.rootHash.hexEncoded, madeAt: head.madeAt, jws: head.jws),
                status: .created)
        }
        api.get("/cases/:id/evidence") { _, context in
            let id: String = try context.parameters.require("id")
            let bundle = try await engine.audit.evidence(caseID: id)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/zip", .contentDisposition: "attachment; filename=\"evidence-\(id).zip\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bundle)))
        }
        api.post("/retention/run") { request, _ in
            let dryRun = request.uri.queryParameters["dryRun"] == "true"
            return Self.json(try await engine.personalData.runRetention(dryRun: dryRun))
        }
        api.get("/subjects/:registration") { _, context in
            Self.json(
                try await engine.personalData.subjectExport(
                    registration: try context.parameters.require("registration")))
        }
        api.post("/directory") { request, _ in
            let body = try await request.body.collect(upTo: 4 << 20)
            let version = try await installDirectory(
                String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines))
            return Self.json(["installedVersion": version])
        }
        return router
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AdminRequestContext)
        async throws -> T
    {
        try await request.decode(as: T.self, context: context)
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> JSONResponse<T> {
        JSONResponse(value: value, status: status)
    }
}

/// Body of `POST /admin/v1/cases/{id}/escalations`.
public struct EscalationInput: Codable, Sendable {
    /// `unsatisfactory-response` (L1) or `serious-concern` (L2).
    public var reason: EscalationReason
    /// Who raises it.
    public var raisedBy: Person
    /// Why, in their words.
    public var note: String?

    /// Creates an input.
    public init(reason: EscalationReason, raisedBy: Person, note: String?) {
        self.reason = reason
        self.raisedBy = raisedBy
        self.note = note
    }
}

/// Body of `POST /admin/v1/escalations/{id}/acknowledgement`.
public struct AcknowledgementInput: Codable, Sendable {
    /// Who acknowledges.
    public var acknowledgedBy: Person

    /// Creates an input.
    public init(acknowledgedBy: Person) { self.acknowledgedBy = acknowledgedBy }
}

/// Body of `POST /admin/v1/candidates/{registration}/checklist`.
public struct ChecklistInput: Codable, Sendable {
    /// The checks.
    public var checklist: SaferRecruitmentChecklist
    /// Who is recording them.
    public var recordedBy: String

    /// Creates an input.
    public init(checklist: SaferRecruitmentChecklist, recordedBy: String) {
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

/// Body of `POST /admin/v1/deliveries/retry`: exactly one of the two.
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

/// Answer of `POST /admin/v1/audit/heads`: the signed tree head now covering the whole log.
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
