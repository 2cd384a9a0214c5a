/// One thing that happened, as the engine or the store describes it; the store turns it into
/// an ``AuditEntry`` (adding its place in the log, time and chain link) in the same transaction.
///
/// It carries identifiers, digests and the names of staff who acted, never a candidate's
/// personal data, so the log outlives retention purges unchanged.
public struct AuditEvent: Sendable, Hashable {
    /// What happened.
    public var action: AuditAction
    /// The case it concerns, if any.
    public var caseID: String?
    /// What it was done to: a message, escalation or notification id, a directory version.
    public var subject: String?
    /// Who did it; nil for the node itself.
    public var actor: AuditActor?
    /// Short facts about it (status, kind, digest, reason).
    public var detail: [String: String]

    /// Creates an event.
    public init(
        _ action: AuditAction, caseID: String? = nil, subject: String? = nil, actor: AuditActor? = nil,
        detail: [String: String] = [:]
    ) {
        self.action = action
        self.caseID = caseID
        self.subject = subject
        self.actor = actor
        self.detail = detail
    }
}

/// A person who acted: name and role as they gave them, and the user account if there is one.
public struct AuditActor: Codable, Sendable, Hashable {
    /// Their name.
    public var name: String
    /// Their role or job title.
    public var role: String
    /// The user account that acted, when people sign in.
    public var user: String?
    /// The person the node's own token named as acting (the CLI), when the node acted for one.
    public var onBehalfOf: String?

    /// Creates an actor.
    public init(name: String, role: String, user: String? = nil, onBehalfOf: String? = nil) {
        self.name = name
        self.role = role
        self.user = user
        self.onBehalfOf = onBehalfOf
    }

    /// The actor for a person named in a message or command.
    public init(_ person: Person) { self.init(name: person.name, role: person.role) }
}
