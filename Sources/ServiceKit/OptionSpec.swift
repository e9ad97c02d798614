/// One configuration setting: an environment variable and a command-line
/// flag of the same meaning. The flag wins when both are given.
public struct OptionSpec: Sendable {
    public let variable: String
    public let flag: String
    public let summary: String
    /// Default as shown in `--help`, such as `8080` or `host name`.
    public let defaultDescription: String

    public init(variable: String, flag: String, summary: String, defaultDescription: String) {
        self.variable = variable
        self.flag = flag
        self.summary = summary
        self.defaultDescription = defaultDescription
    }
}

/// The outcome of reading the command line: run with values, or print and exit.
public enum CommandLineAction: Sendable {
    case run(OptionValues)
    case showHelp(String)
    case showVersion(String)
    case healthCheck(OptionValues)
}

/// A setting's value is missing or invalid; the message names the variable and the flag.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
