import ArgumentParser
import Logging

/// Log levels accepted by `--log-level`.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}

/// Sets up swift-log once for a command: stderr, at the requested level.
enum CommandLineLogging {
    static func bootstrap(level: LogLevel) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level.level
            return handler
        }
        return Logger(label: "refgate")
    }
}
