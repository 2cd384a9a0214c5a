import Foundation
import RefGateCore
import RefGateStore

/// A case with its messages, receipts and delivery state, for people and tools.
public struct CaseDetail: Codable, Sendable {
    /// The case.
    public var `case`: CaseView
    /// The request that opened it, decoded.
    public var request: VerificationRequest?
    /// The response, decoded, if answered.
    public var response: VerificationResponse?
    /// Every message with its receipt and (outgoing) delivery state.
    public var messages: [Entry]
    /// Escalations of the case, lowest level first.
    public var escalations: [EscalationView] = []
    /// What happened and who did it, oldest first: the case's audit entries.
    public var timeline: [AuditEntry] = []
    /// The deadline it waits on, RAG and working time left, while it awaits its answer.
    public var outstanding: OutstandingCase?
    /// Para 14 decisions, oldest first.
    public var decisions: [DecisionView] = []
    /// The legal hold retention respects, if one is set.
    public var legalHold: LegalHoldView?

    /// One message of the case.
    public struct Entry: Codable, Sendable {
        /// The stored message (with its exact JWS).
        public var message: MessageView
        /// Its receipt, if any.
        public var receipt: ReceiptView?
        /// Its delivery, for outgoing messages.
        public var delivery: DeliveryView?
    }
}
