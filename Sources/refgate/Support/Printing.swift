import Foundation
import RefGateCore
import RefGateNode
import RefGateStore

/// Human-readable renderings for the terminal.
enum Printing {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = MessageCoding.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func line(_ record: CaseView) -> String {
        let direction = record.side == .requester ? "asked   \(record.peer)" : "owed to \(record.peer)"
        return
            "\(record.id)  \(direction)  \(record.status.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0))  \(record.candidateRole.rawValue.padding(toLength: 23, withPad: " ", startingAt: 0))  \(record.candidateName)  (respond by \(MessageCoding.formatInstant(record.respondBy)))"
    }

    static func line(_ summary: CaseSummary) -> String {
        let direction = summary.side == .requester ? "asked   \(summary.peer)" : "owed to \(summary.peer)"
        let due =
            summary.dueAt.map { "  (\(summary.rag?.rawValue ?? "") due \(MessageCoding.formatInstant($0)))" } ?? ""
        return
            "\(summary.caseID)  \(direction)  \(summary.status.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0))  \(summary.role.rawValue.padding(toLength: 23, withPad: " ", startingAt: 0))  \(summary.candidateName)\(due)"
    }

    static func text(_ detail: CaseDetail) -> String {
        var lines: [String] = []
        let c = detail.case
        lines.append("case       \(c.id)")
        lines.append("side       \(c.side.rawValue) (peer \(c.peer))")
        lines.append("status     \(c.status.rawValue)")
        lines.append("candidate  \(c.candidateName), \(c.candidateRole.rawValue)")
        lines.append("respond by \(MessageCoding.formatInstant(c.respondBy))")
        if let request = detail.request {
            lines.append(
                "reference  \(request.reference.refereeName) (\(request.reference.refereeStatedRole)), \(request.reference.team), \(request.reference.placementStart)–\(request.reference.placementEnd)"
            )
            lines.append("requester  \(request.requester.name), \(request.requester.role) <\(request.requester.email)>")
        }
        if let response = detail.response {
            lines.append(
                "outcome    \(response.outcome.rawValue) by \(response.responder.name) (\(response.responder.role.rawValue))"
            )
            lines.append(
                "findings   authored by referee: \(response.findings.authoredByReferee); actual role: \(response.findings.refereeActualRole)\(response.findings.refereePosition.map { " (\($0.rawValue)\(response.findings.approvedBySeniorManager == true ? ", approved by a senior manager" : ""))" } ?? ""); dates confirmed: \(response.findings.placementDatesConfirmed)"
            )
            if let concerns = response.findings.concerns { lines.append("concerns   \(concerns)") }
        }
        for decision in detail.decisions {
            lines.append(
                "para 14    \(decision.decision.title) by \(decision.decidedBy.name) (\(decision.decidedBy.role)), \(MessageCoding.formatInstant(decision.decidedAt)): \(decision.reason)"
            )
        }
        if let hold = detail.legalHold {
            lines.append(
                "LEGAL HOLD set by \(hold.setBy.name), \(MessageCoding.formatInstant(hold.setAt)): \(hold.reason)")
        }
        lines.append("messages")
        for entry in detail.messages {
            let m = entry.message
            var line =
                "  \(m.direction == .outgoing ? "out" : "in ") \(m.kind.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)) \(m.id)  sha256 \(m.digest.prefix(16))…"
            if entry.receipt != nil { line += "  receipted" }
            if let delivery = entry.delivery, entry.receipt == nil {
                line += "  delivery \(delivery.state.rawValue), \(delivery.attempts) attempts"
                if let error = delivery.lastError { line += " (\(error.prefix(80)))" }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
