import ArgumentParser
import Logging
import RefGateCore
import RefGateNode
import ServiceLifecycle

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Run an authority's node.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the node until SIGTERM or SIGINT, then drain in-flight deliveries and exit.")

        @Option(help: "The node's configuration file (JSON).") var config: String
        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: LogLevel = .info
        @Option(help: "Log format: text (for people) or json (one object a line, for machines).")
        var logFormat: LogFormat = .text
        @Option(
            help: ArgumentHelp(
                "Run the node's clock this many seconds ahead, to rehearse deadlines (drills and tests only).",
                visibility: .hidden))
        var clockOffsetSeconds: Double = 0

        func run() async throws {
            let logger = CommandLineLogging.bootstrap(level: logLevel, format: logFormat)
            let (configuration, warnings) = try NodeConfiguration.loadWithWarnings(path: config)
            for warning in warnings { logger.warning("deprecated setting", metadata: ["detail": "\(warning)"]) }
            let clock: any NodeClock = clockOffsetSeconds == 0 ? SystemClock() : OffsetClock(offset: clockOffsetSeconds)
            if clockOffsetSeconds != 0 {
                logger.warning(
                    "the node's clock is shifted for a drill", metadata: ["offset_s": "\(clockOffsetSeconds)"])
            }
            let node = try await Node.make(
                configuration: configuration, configurationPath: config, clock: clock, logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: node.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask {
                    // Throws (and so ends the command) if a listener cannot start.
                    let peer = try await node.peerPort.value()
                    let admin = try await node.localPort.value()
                    logger.notice(
                        "node running",
                        metadata: [
                            "peer_api": "https://\(configuration.peerListener.host):\(peer)/peer/v1/messages",
                            "local_api":
                                "\(configuration.localTLS == nil ? "http" : "https")://\(configuration.localListener.host):\(admin)/api/v1",
                        ])
                }
            }
        }
    }
}
