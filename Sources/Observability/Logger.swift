import FoundationEssentials

/// A structured logger that writes one logfmt line per event:
/// `time=… level=… label=… msg="…" key=value …`.
///
/// A logger is a value: a label, a minimum level, metadata and a sink.
/// Messages are constant strings and data goes into metadata, so lines can be
/// searched and counted. Copies share the sink; `withMetadata` returns a copy
/// that adds fields to every line, such as a request id.
public struct Logger: Sendable {
    public var label: String
    public var level: LogLevel
    public private(set) var metadata: [(key: String, value: String)]
    private let sink: any LogSink

    public init(label: String, level: LogLevel = .info, sink: any LogSink = StandardErrorSink()) {
        self.label = label
        self.level = level
        self.metadata = []
        self.sink = sink
    }

    /// Returns a copy that adds `fields` to every line it logs.
    public func withMetadata(_ fields: KeyValuePairs<String, String>) -> Logger {
        var copy = self
        for (key, value) in fields {
            copy.metadata.append((key, value))
        }
        return copy
    }

    /// Returns a copy with another label, keeping level, metadata and sink.
    public func withLabel(_ label: String) -> Logger {
        var copy = self
        copy.label = label
        return copy
    }

    public func isEnabled(_ level: LogLevel) -> Bool {
        level >= self.level
    }

    /// Logs `message` with `fields` if `level` is at or above the logger's level.
    public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        guard isEnabled(level) else { return }
        log(level, message, fieldList: fields.map { ($0.key, $0.value) })
    }

    /// Logs `message` with fields built at run time, in their order.
    public func log(_ level: LogLevel, _ message: String, fieldList fields: [(key: String, value: String)]) {
        guard isEnabled(level) else { return }

        var line = "time=\(LogFormat.timestamp(Date())) level=\(level) label=\(LogFormat.value(label))"
        line += " msg=\(LogFormat.value(message))"
        for (key, value) in metadata {
            line += " \(key)=\(LogFormat.value(value))"
        }
        for (key, value) in fields {
            line += " \(key)=\(LogFormat.value(value))"
        }
        line += "\n"
        sink.write(line)
    }

    public func trace(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.trace, message, fields)
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.debug, message, fields)
    }

    public func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.info, message, fields)
    }

    public func notice(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.notice, message, fields)
    }

    public func warning(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.warning, message, fields)
    }

    public func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.error, message, fields)
    }

    public func critical(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.critical, message, fields)
    }
}
