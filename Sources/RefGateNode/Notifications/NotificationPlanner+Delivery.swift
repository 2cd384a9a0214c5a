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

extension NotificationPlanner {
    /// The directory in force expires soon: ask the coordinator for the next one.
    func directoryExpiring(version: Int, expiresAt: Date, now: Date) -> [NotificationRecord] {
        let subject = "Regional directory version \(version) expires \(MessageCoding.formatInstant(expiresAt))"
        let body = """
            \(authorityName)'s regional directory (version \(version)) expires at \
            \(MessageCoding.formatInstant(expiresAt)). After that this node sends nothing and accepts \
            nothing until a current one is installed.

            Ask the regional coordinator for the next version and install it:
            refgate directory install --config <node.json> directory.jws
            """
        return plan(
            event: "directory-expiring", caseID: nil, subject: subject, body: body, now: now,
            emailTo: operatorAddressList)
    }

    /// No configured source has given a directory for a while: a newer version may be missed.
    func directoryUnfetchable(since: Date, error: String, now: Date) -> [NotificationRecord] {
        let subject = "The regional directory cannot be fetched since \(MessageCoding.formatInstant(since))"
        let body = """
            \(authorityName)'s node has not fetched the regional directory from any of its \
            directorySources since \(MessageCoding.formatInstant(since)). The last error: \(error)

            The version in force still holds until it expires; check the sources' URLs and that this \
            machine reaches them, or install the next version by hand:
            refgate directory install --config <node.json> directory.jws
            """
        return plan(
            event: "directory-unfetchable", caseID: nil, subject: subject, body: body, now: now,
            emailTo: operatorAddressList)
    }

    /// The directory in force has expired: the node fails closed.
    func directoryExpired(version: Int, expiresAt: Date, now: Date) -> [NotificationRecord] {
        let subject = "Regional directory version \(version) has expired: nothing is sent or accepted"
        let body = """
            \(authorityName)'s regional directory (version \(version)) expired at \
            \(MessageCoding.formatInstant(expiresAt)). Until a current one is installed, messages wait \
            in the outbox (nothing is lost before their own expiry) and peers' messages are refused \
            with directory-expired (they retry).

            Install the current directory: refgate directory install --config <node.json> directory.jws
            """
        return plan(
            event: "directory-expired", caseID: nil, subject: subject, body: body, now: now,
            emailTo: operatorAddressList)
    }

    /// The directory leaves members out because of their certificates.
    func membersExcluded(version: Int, excluded: [AuthorityID: String], now: Date) -> [NotificationRecord] {
        let subject = "Regional directory version \(version) leaves \(excluded.count) member(s) out"
        let lines = excluded.sorted { $0.key < $1.key }.map { "- \($0.key): \($0.value)" }.joined(separator: "\n")
        let body = """
            These members of directory version \(version) have a certificate that does not validate, \
            so this node neither sends to them nor accepts from them:

            \(lines)

            Tell the regional coordinator; the next directory version should carry valid certificates.
            """
        return plan(
            event: "directory-members-excluded", caseID: nil, subject: subject, body: body, now: now,
            emailTo: operatorAddressList)
    }

    private var operatorAddressList: [String] { (people.operators ?? []).map(\.email) }
}
