import ArgumentParser
import Logging

/// Sets up swift-log once for a command: stderr, at the requested level.
enum CommandLineLogging {
    static func bootstrap(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "refgate")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
