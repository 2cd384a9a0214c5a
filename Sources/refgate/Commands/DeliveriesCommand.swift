import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode
import RefGateStore

struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "Delivery to peers: health per peer, parked and failing messages, sending parked ones again.",
        subcommands: [Status.self, Problems.self, Retry.self], defaultSubcommand: Status.self)

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Per peer: last success, backlog, oldest undelivered, failures in a row, next attempt, parked, expired."
        )

        @Option(help: "This node's configuration file.") var config: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let health = try await APIClient(configurationPath: config).get(
                "/deliveries", as: [PeerDeliveryHealth].self)
            if json {
                print(try Printing.json(health))
                return
            }
            if health.isEmpty { print("nothing sent yet") }
            func at(_ date: Date?) -> String { date.map(MessageCoding.formatInstant) ?? "-" }
            for peer in health {
                let state = peer.consecutiveFailures == 0 ? "ok" : "FAILING since \(at(peer.failingSince))"
                print(
                    "\(peer.peer)  \(state)  last success \(at(peer.lastSuccessAt))  backlog \(peer.backlog)  oldest \(at(peer.oldestUndeliveredAt))  failures \(peer.consecutiveFailures)  next \(at(peer.nextAttemptAt))  parked \(peer.parked)  expired \(peer.expired)  release \(peer.peerVersion?.escapedForDisplay() ?? "-")"
                )
                if let error = peer.lastError, peer.consecutiveFailures > 0 {
                    print("    last error: \(error.escapedForDisplay())")
                }
            }
        }
    }

    struct Problems: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parked, expired and repeatedly failing messages, with the peer's problem details.")

        @Option(help: "This node's configuration file.") var config: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let problems = try await APIClient(configurationPath: config).get(
                "/deliveries/problems", as: [DeliveryProblem].self)
            if json {
                print(try Printing.json(problems))
                return
            }
            if problems.isEmpty { print("no delivery problems") }
            for problem in problems {
                let entry = problem.entry
                print(
                    "\(entry.messageID)  \(entry.state.rawValue)  \(problem.kind.rawValue) to \(entry.peer)  case \(entry.caseID ?? "-")  attempts \(entry.attempts)  expires \(MessageCoding.formatInstant(entry.expiresAt))"
                )
                if let error = entry.lastError { print("    \(error.escapedForDisplay())") }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send parked messages again once the cause is fixed: one message, or all of a peer's.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "A parked message's id.") var message: String?
        @Option(help: "A peer's GSS code: all its parked messages, and probe it now.") var peer: String?

        func validate() throws {
            guard (message == nil) != (peer == nil) else {
                throw ValidationError("name exactly one of --message ID or --peer GSS")
            }
        }

        func run() async throws {
            let result = try await APIClient(configurationPath: config).post(
                "/deliveries/retry", RetryInput(messageId: message, peer: peer), as: [String: Int].self)
            print("\(result["retried"] ?? 0) parked message(s) queued to be sent again")
        }
    }
}
