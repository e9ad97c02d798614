import FoundationEssentials
import Observability

/// Settings every executable has: its instance name and log level.
public enum CommonOptions {
    public static let instanceName = OptionSpec(
        variable: "INSTANCE_NAME", flag: "--instance-name",
        summary: "name shown in responses and logs, and part of the replica id; 1 to 64 of A-Z a-z 0-9 . _ -",
        defaultDescription: "host name")
    public static let logLevel = OptionSpec(
        variable: "LOG_LEVEL", flag: "--log-level",
        summary: "minimum level logged: trace, debug, info, notice, warning, error, critical",
        defaultDescription: "info")

    /// The instance name, or the host name when unset.
    public static func instanceName(from values: OptionValues) throws(ConfigurationError) -> String {
        let name = values.string("INSTANCE_NAME") ?? ProcessInfo.processInfo.hostName
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed else {
            throw ConfigurationError(
                "invalid \(values.name("INSTANCE_NAME")): '\(name)' must be 1 to 64 of A-Z a-z 0-9 . _ -")
        }
        return name
    }

    public static func logLevel(from values: OptionValues) throws(ConfigurationError) -> LogLevel {
        guard let raw = values.string("LOG_LEVEL") else { return .info }
        guard let level = LogLevel(name: raw) else {
            throw ConfigurationError(
                "invalid \(values.name("LOG_LEVEL")): '\(raw)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }
}
