import ArgumentParser
import Logging

/// Log levels accepted by `--log-level`.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}

/// Formats accepted by `--log-format`.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    /// swift-log's text lines, for people.
    case text
    /// One JSON object a line, for machines (`JSONLogHandler`).
    case json
}

/// Sets up swift-log once for a command: stderr, at the requested level, in the requested format.
enum CommandLineLogging {
    static func bootstrap(level: LogLevel, format: LogFormat = .text) -> Logger {
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level.level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level.level
                return handler
            }
        }
        return Logger(label: "refgate")
    }
}
