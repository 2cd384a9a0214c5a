import Foundation
import Logging
import RefGateCore
import RefGateStore
import RefGateTrust

/// People's actions: send a request, respond, escalate, acknowledge, record a checklist, send
/// parked messages again. Each commits its state change and the messages it causes together.
public struct Commands: Sendable {
    let authority: AuthorityID
    let store: Store
    let directory: DirectoryHolder
    let signer: MessageSigner
    let clock: any NodeClock
    let policy: Policy
    let outbox: Outbox
    let escalator: Escalator
    let queries: Queries
    let alerts: Alerts
    let logger: Logger

    // MARK: Sending

    /// Opens a case and queues a signed verification request to the providing authority.
    public func sendRequest(_ draft: RequestDraft) async throws -> CaseView {
        try await sendRequest(draft, idempotencyKey: nil).record
    }

    /// Opens a case and queues a signed verification request, once per idempotency key: a
    /// caller that lost the answer (a dropped connection, a node killed mid-call) sends the same
    /// request with the same key again and gets the case the first call opened, not a second
    /// request to the peer. The same key with a different request is refused
    /// (`idempotency-key-reused`).
    /// The request names the signed-in user as requester; the node's token (the CLI) names one.
    public func sendRequest(_ draft: RequestDraft, idempotencyKey: String?, by principal: Principal = .node)
        async throws -> SentRequest
    {
        var draft = draft
        draft.requester = try Self.requester(draft.requester, principal)
        var key: (key: String, digest: String)?
        if let idempotencyKey {
            let digest = Thumbprint.sha256(try MessageCoding.encoder().encode(draft))
            if let earlier = try await store.read({
                try Self.replay(key: idempotencyKey, digest: digest, reader: $0)
            }) {
                return SentRequest(record: CaseView(earlier), replayed: true)
            }
            key = (idempotencyKey, digest)
        }
        return try await open(draft, key: key, actor: principal.auditActor)
    }

    /// Who asks: the signed-in user, or whom the node's token names.
    private static func requester(_ named: VerificationRequest.Requester?, _ principal: Principal) throws
        -> VerificationRequest.Requester
    {
        switch principal {
        case .user(let user):
            guard named == nil else {
                throw RefGateError(
                    .identityFromSignIn,
                    "leave out requester: it is you, \(user.name) <\(user.email)>, from your sign-in")
            }
            return .init(name: user.name, role: user.person.role, email: user.email)
        case .node:
            guard let named else {
                throw RefGateError(.invalidInput, "say who is asking (requester): the node's token acts for a person")
            }
            return named
        }
    }

    /// The case an idempotency key opened, if it did; throws if it did for another request.
    private static func replay(key: String, digest: String, reader: StoreReader) throws -> CaseRecord? {
        guard let held = try reader.requestKey(key) else { return nil }
        guard held.draftDigest == digest else {
            throw RefGateError(
                .idempotencyKeyReused,
                "idempotency key '\(key)' already opened case \(held.caseID) with a different request; use a new key for a new request"
            )
        }
        guard let record = try reader.case(held.caseID) else {
            throw RefGateError(.internalError, "idempotency key '\(key)' names case \(held.caseID), which is missing")
        }
        return record
    }

    /// Opens the case and queues its request; with a key, records it in the same transaction.
    private func open(_ draft: RequestDraft, key: (key: String, digest: String)?, actor: AuditActor) async throws
        -> SentRequest
    {
        guard let requester = draft.requester else {
            throw RefGateError(.invalidInput, "say who is asking (requester)")
        }
        let registration: ProfessionalRegistration
        do {
            registration = try ProfessionalRegistration(
                body: draft.candidate.registration.body, number: draft.candidate.registration.number)
        } catch let error as RefGateError {
            throw RefGateError(.invalidInput, "/candidate/registration/number: \(error.detail)")
        }
        // A peer known to run an earlier release would refuse another regulator's registration.
        if registration.regulator != .socialWorkEngland,
            let release = try await store.read({ try $0.peerVersion(draft.to) }),
            !MessageFormat.peer(running: release, reads: MessageFormat.regionalFields)
        {
            throw RefGateError(
                .invalidInput,
                "\(draft.to) runs refgate \(release), which takes only Social Work England registrations; verify this reference with them by telephone or in writing until they upgrade to \(MessageFormat.regionalFields)"
            )
        }
        guard draft.to != authority else {
            throw RefGateError(.invalidInput, "a request must go to another authority, not to \(authority) itself")
        }
        guard await directory.current.member(draft.to) != nil else {
            throw RefGateError(.unknownAuthority, "\(draft.to) is not in the regional directory")
        }
        let now = clock.now()
        let respondBy = draft.respondBy ?? policy.respondBy(sentAt: now)
        guard respondBy > now else {
            throw RefGateError(.invalidInput, "respondBy must be in the future")
        }
        let candidateEmail = try Agencies.checkEmail(draft.candidateEmail, field: "candidateEmail")
        let (agency, signedAgency) = try await agency(of: draft)
        let request = VerificationRequest(
            id: TimeOrderedID.make(), caseId: TimeOrderedID.make(), from: authority, to: draft.to,
            sentAt: now, respondBy: respondBy, candidate: draft.candidate, role: draft.role, agency: signedAgency,
            reference: draft.reference, requester: requester)
        let record = {
            var record = CaseRecord(
                id: request.caseId, side: .requester, peer: draft.to, status: .awaitingResponse,
                candidateName: draft.candidate.name, candidateRole: draft.role,
                candidateRegistration: draft.candidate.registration.key, respondBy: respondBy,
                requestMessageID: request.id, createdAt: now, updatedAt: now)
            record.requestedAt = request.sentAt
            return record
        }()
        let outgoing = try outbox.prepare(
            request, id: request.id, caseID: request.caseId, kind: .verificationRequest, to: draft.to, now: now)
        let earlier = try await store.write { tx -> CaseRecord? in
            // Checked again in the write: two calls with one key may both have found it unused.
            if let key, let earlier = try Self.replay(key: key.key, digest: key.digest, reader: tx.reader) {
                return earlier
            }
            try tx.insert(record)
            try self.outbox.queue(outgoing, tx: tx)
            try self.recordAgency(agency, email: candidateEmail, case: record, tx: tx, now: now)
            try tx.appendAudit(
                AuditEvent(
                    .requestSent, caseID: record.id, subject: request.id,
                    actor: actor.user == nil
                        ? AuditActor(name: actor.name, role: actor.role, onBehalfOf: requester.name) : actor,
                    detail: ["to": draft.to.rawValue]),
                at: now)
            if let key {
                try tx.insert(
                    RequestKeyRecord(key: key.key, caseID: record.id, draftDigest: key.digest, createdAt: now))
            }
            return nil
        }
        if let earlier { return SentRequest(record: CaseView(earlier), replayed: true) }
        logger.info(
            "verification request queued",
            metadata: ["case": "\(record.id)", "message": "\(request.id)", "to": "\(draft.to)"])
        return SentRequest(record: CaseView(record), replayed: false)
    }

    /// Answers a case this authority owes, queuing a signed response. The responder is the
    /// signed-in user at their recorded seniority (the node's token, the CLI, names one).
    /// Refuses a response that breaks para 5 before anything is sent; a service manager or head
    /// of service answers only a case escalated to this authority.
    public func respond(caseID: String, _ draft: ResponseDraft, by principal: Principal = .node) async throws
        -> CaseView
    {
        guard let existing = try await store.read({ try $0.case(caseID) }) else {
            throw RefGateError(.unknownCase, "no case \(caseID) at this node")
        }
        guard existing.side == .responder else {
            throw RefGateError(
                .invalidTransition, "case \(caseID) was sent by this authority; only \(existing.peer) can answer it")
        }
        let responder = try Self.responder(draft.responder, principal, case: existing)
        try ResponderRule.check(responder: responder.role, candidateRole: existing.candidateRole)
        let actor = principal.auditActor(naming: Person(name: responder.name, role: responder.role.rawValue))
        if principal.user != nil, draft.findings.refereePosition == nil {
            throw RefGateError(
                .invalidInput,
                "say the referee's actual position (findings.refereePosition: \(RefereePosition.allCases.map(\.rawValue).joined(separator: ", "))); para 5 is checked against it"
            )
        }
        // Para 5 against the referee decides the outcome; the peer gets the fields its release reads.
        let outcome = RefereeRule.outcome(
            stated: draft.outcome, findings: draft.findings, candidateRole: existing.candidateRole)
        let peerRelease = try await store.read { try $0.peerVersion(existing.peer) }
        let findings =
            MessageFormat.peer(running: peerRelease, reads: MessageFormat.regionalFields)
            ? draft.findings : draft.findings.previousFormat
        let now = clock.now()
        let response = VerificationResponse(
            id: TimeOrderedID.make(), caseId: caseID, from: authority, to: existing.peer, sentAt: now,
            inReplyTo: existing.requestMessageID, outcome: outcome, findings: findings, responder: responder)
        let outgoing = try outbox.prepare(
            response, id: response.id, caseID: caseID, kind: .verificationResponse, to: existing.peer, now: now)
        let updated = try await store.write { tx -> CaseRecord in
            // Re-read inside the transaction: a concurrent answer must not be overwritten.
            guard var current = try tx.reader.case(caseID) else {
                throw RefGateError(.unknownCase, "no case \(caseID) at this node")
            }
            let before = current
            current.status = try CaseStateMachine.apply(
                .responseSent(outcome), to: current.status, side: current.side,
                escalated: current.escalationLevel > 0)
            current.responseMessageID = response.id
            current.updatedAt = now
            let effect = try self.escalator.answer(
                before, response: response.id, outcome: outcome, tx: tx, now: now)
            current.escalationLevel = effect.escalationLevel
            try self.outbox.queue(outgoing, tx: tx)
            try tx.appendAudit(
                AuditEvent(
                    .responseSent, caseID: caseID, subject: response.id,
                    actor: actor,
                    detail: Self.outcomeDetail(outcome, stated: draft.outcome)),
                at: now)
            return current
        }
        logger.info(
            "verification response queued",
            metadata: ["case": "\(caseID)", "message": "\(response.id)", "outcome": "\(outcome.rawValue)"])
        return CaseView(updated)
    }

    /// The audit detail of an answer: its outcome, and the outcome stated when para 5 changed it.
    static func outcomeDetail(_ outcome: VerificationOutcome, stated: VerificationOutcome) -> [String: String] {
        var detail = ["outcome": outcome.rawValue]
        if stated != outcome {
            detail["para5"] = "stated \(stated.rawValue); the referee's position does not meet para 5"
        }
        return detail
    }

    /// Who answers: the signed-in user at their recorded level, or whom the node's token names.
    private static func responder(
        _ named: VerificationResponse.Responder?, _ principal: Principal, case record: CaseRecord
    ) throws -> VerificationResponse.Responder {
        switch principal {
        case .user(let user):
            guard named == nil else {
                throw RefGateError(
                    .identityFromSignIn,
                    "leave out responder: it is you, \(user.name), at the seniority your account records")
            }
            if user.role.escalationRole != nil, record.escalationLevel < 1 {
                throw RefGateError(
                    .roleForbidden,
                    "case \(record.id) has not been escalated to this authority's managers; its responders answer it")
            }
            guard let seniority = user.seniority else {
                throw RefGateError(
                    .responderNotSeniorEnough,
                    "your account records no seniority (team-manager, service-manager or head-of-service), so para 5 cannot be checked; ask an administrator to set it ('refgate user update --seniority')"
                )
            }
            return .init(name: user.name, role: seniority.managerRole)
        case .node:
            guard let named, !named.name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw RefGateError(
                    .invalidInput, "say who is answering (responder): the node's token acts for a person")
            }
            return named
        }
    }
}
