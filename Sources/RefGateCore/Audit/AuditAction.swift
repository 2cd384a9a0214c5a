/// What an audit entry records. The raw values are stable: they are inside hashed entries.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    /// A message was recorded on its way out (signed, queued).
    case messageSent = "message.sent"
    /// A message from a peer was accepted.
    case messageReceived = "message.received"
    /// A signed receipt was stored (issued for a message in, or returned for one out).
    case receiptRecorded = "receipt.recorded"
    /// A case was opened.
    case caseOpened = "case.opened"
    /// A case's status changed.
    case caseStatus = "case.status"
    /// A case's ladder was spent (para 14).
    case caseExhausted = "case.exhausted"
    /// A head of service recorded a para 14 decision on a case.
    case caseDecided = "case.decided"
    /// A legal hold was set on a case (retention leaves it alone).
    case legalHoldSet = "legal-hold.set"
    /// A case's legal hold was lifted.
    case legalHoldLifted = "legal-hold.lifted"
    /// A person sent a verification request.
    case requestSent = "request.sent"
    /// A person answered a verification request.
    case responseSent = "response.sent"
    /// An escalation was raised (by a person, or by the node when a deadline passed).
    case escalationRaised = "escalation.raised"
    /// An escalation was acknowledged.
    case escalationAcknowledged = "escalation.acknowledged"
    /// An escalation closed (a response resolved it, or a higher level replaced it).
    case escalationClosed = "escalation.closed"
    /// A deadline passed and the node acted on it.
    case deadlinePassed = "deadline.passed"
    /// A notification to people was queued.
    case notificationQueued = "notification.queued"
    /// A notification was accepted by the mail server or webhook.
    case notificationSent = "notification.sent"
    /// A message was parked for operators.
    case deliveryParked = "delivery.parked"
    /// A message expired undelivered.
    case deliveryExpired = "delivery.expired"
    /// Parked messages were released to be sent again.
    case deliveryRetried = "delivery.retried"
    /// A reference was recorded as verified outside the signed exchange (paras 6–7).
    case referenceVerifiedOutside = "reference.verified-outside"
    /// An appointment was recorded (with the gate's state, and any head of service's override).
    case appointmentRecorded = "appointment.recorded"
    /// A candidate's para 9 checklist was recorded.
    case checklistRecorded = "checklist.recorded"
    /// A regional directory version was installed.
    case directoryInstalled = "directory.installed"
    /// A peer's signed tree head was checked and stored.
    case checkpointReceived = "checkpoint.received"
    /// An evidence bundle was exported.
    case evidenceExported = "evidence.exported"
    /// A subject access export was made.
    case subjectExported = "subject.exported"
    /// A retention run purged personal data.
    case retentionRun = "retention.run"
    /// A user account was added.
    case userAdded = "user.added"
    /// A user's job title or level changed.
    case userUpdated = "user.updated"
    /// A user account and all its credentials were revoked.
    case userRevoked = "user.revoked"
    /// An API token or a one-time sign-in code was issued to a user.
    case credentialIssued = "credential.issued"
    /// One API token of a user was revoked.
    case credentialRevoked = "credential.revoked"
    /// A user signed in to the dashboard.
    case signedIn = "user.signed-in"
    /// A user signed out of the dashboard.
    case signedOut = "user.signed-out"
    /// The database was restored from a backup (the entry is the first the restored node writes).
    case backupRestored = "backup.restored"
    /// The store was copied into this database from another, the node stopped (`refgate store
    /// copy`, moving it between SQLite and PostgreSQL); the entry is the first the copy writes.
    case storeCopied = "store.copied"
    /// Messages exchanged with a peer were taken back from it after a restore.
    case recoveryApplied = "recovery.applied"
    /// An agency was added or its details changed.
    case agencySaved = "agency.saved"
    /// Two records of one agency were merged.
    case agencyMerged = "agency.merged"
    /// A para 8 notice went to an agency or a candidate.
    case agencyNotified = "agency.notified"
    /// An agency's para 9 confirmation was recorded.
    case agencyChecksRecorded = "agency.checks-recorded"
    /// A one-time link for an agency's para 9 confirmation was issued.
    case agencyLinkIssued = "agency.link-issued"
    /// A concern about an agency was recorded (para 3).
    case agencyConcernRecorded = "agency.concern-recorded"
    /// A member's regional figures were received by the coordinator.
    case figuresReceived = "figures.received"
}
