import Foundation
import RefGateCore
import RefGateStore

extension NotificationPlanner {
    private var operatorAddresses: [String] { (people.operators ?? []).map(\.email) }

    /// A peer refused a message in a way that cannot heal: operators look at it.
    func deliveryParked(_ entry: OutboxEntry, kind: MessageKind, error: String, now: Date) -> [NotificationRecord] {
        let subject = "Delivery parked: \(kind.rawValue) to \(entry.peer) was refused"
        let body = """
            \(authorityName) could not deliver a \(kind.rawValue) to \(entry.peer): the peer refused it in a \
            way that sending it again will not change.

            Message: \(entry.messageID)
            Case: \(entry.caseID ?? "none")
            Refusal: \(error)

            The message is kept, and later messages of the same case wait behind it. Once the cause \
            is fixed, send it again with:
              refgate deliveries retry --config <node.json> --message \(entry.messageID)
            """
        return plan(
            event: "delivery-parked", caseID: entry.caseID, subject: subject, body: body, now: now,
            emailTo: operatorAddresses)
    }

    /// A peer keeps refusing a message for a reason that should heal (its directory differs,
    /// the case is unknown there): someone may need to look before it expires.
    func failingRepeatedly(_ entry: OutboxEntry, kind: MessageKind, error: String, now: Date) -> [NotificationRecord] {
        let subject = "Delivery failing repeatedly: \(kind.rawValue) to \(entry.peer)"
        let body = """
            \(entry.peer) has refused a \(kind.rawValue) from \(authorityName) \(entry.attempts + 1) times; it is \
            still being retried until it expires at \(MessageCoding.formatInstant(entry.expiresAt)).

            Message: \(entry.messageID)
            Case: \(entry.caseID ?? "none")
            Last refusal: \(error)

            Check that both authorities hold the same directory version: refgate deliveries problems --config <node.json>
            """
        return plan(
            event: "delivery-failing", caseID: entry.caseID, subject: subject, body: body, now: now,
            emailTo: operatorAddresses)
    }

    /// A message was not receipted before its expiry: a recorded non-delivery.
    func nonDelivery(_ entry: OutboxEntry, kind: MessageKind, now: Date) -> [NotificationRecord] {
        let subject = "Non-delivery: \(kind.rawValue) to \(entry.peer) was not receipted in time"
        let request = kind == .verificationRequest
        let body = """
            \(authorityName) could not deliver a \(kind.rawValue) to \(entry.peer) before it expired at \
            \(MessageCoding.formatInstant(entry.expiresAt)) (\(entry.attempts) attempts; last error: \
            \(entry.lastError ?? "none")).

            Message: \(entry.messageID)
            Case: \(entry.caseID ?? "none")

            \(request ? "The case is treated as unanswered: it escalates as the procedure asks (paragraph 11)." : "The case's deadlines continue as the procedure asks.") \
            Contact \(entry.peer) by other means.
            """
        return plan(
            event: "non-delivery", caseID: entry.caseID, subject: subject, body: body, now: now,
            emailTo: operatorAddresses)
    }

    /// A peer has been failing for longer than the alert threshold.
    func peerUnreachable(_ peer: AuthorityID, since: Date, lastError: String, backlog: Int, now: Date)
        -> [NotificationRecord]
    {
        let subject = "Peer unreachable: \(peer) since \(MessageCoding.formatInstant(since))"
        let body = """
            \(authorityName) has not been able to deliver to \(peer) since \
            \(MessageCoding.formatInstant(since)). \(backlog) message(s) wait; nothing is lost, and they \
            are sent as soon as \(peer) answers again (it is probed regularly).

            Last error: \(lastError)
            Check: refgate deliveries --config <node.json>
            """
        return plan(
            event: "peer-unreachable", caseID: nil, subject: subject, body: body, now: now, emailTo: operatorAddresses)
    }

    /// A peer reported unreachable answers again.
    func peerReachable(_ peer: AuthorityID, since: Date?, now: Date) -> [NotificationRecord] {
        let subject = "All clear: \(peer) is reachable again"
        let body = """
            \(peer) answers again\(since.map { " after failing since \(MessageCoding.formatInstant($0))" } ?? ""). \
            Its backlog is being delivered now.
            """
        return plan(
            event: "peer-reachable", caseID: nil, subject: subject, body: body, now: now, emailTo: operatorAddresses)
    }
}
