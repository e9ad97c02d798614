/// Reads settings from the environment and `--flag value` or `--flag=value`
/// arguments, and renders `--help`.
public struct CommandLineParser: Sendable {
    public let program: String
    public let summary: String
    public let version: String
    public let options: [OptionSpec]

    public init(program: String, summary: String, version: String, options: [OptionSpec]) {
        self.program = program
        self.summary = summary
        self.version = version
        self.options = options
    }

    /// Parses `arguments` (without the program name) over `environment`.
    /// Throws for an unknown flag or a flag without a value.
    public func parse(arguments: [String], environment: [String: String]) throws(ConfigurationError) -> CommandLineAction {
        var values: [String: String] = [:]
        for spec in options {
            values[spec.variable] = environment[spec.variable]
        }

        var healthCheck = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            switch argument {
            case "-h", "--help": return .showHelp(helpText())
            case "--version": return .showVersion("\(program) \(version)")
            case "--health-check":
                healthCheck = true
                continue
            default: break
            }

            let (flag, inlineValue) = split(argument)
            guard let spec = options.first(where: { $0.flag == flag }) else {
                throw ConfigurationError("unknown option '\(flag)'; run \(program) --help for the list")
            }
            if let inlineValue {
                values[spec.variable] = inlineValue
            } else {
                guard index < arguments.count else {
                    throw ConfigurationError("option \(flag) needs a value")
                }
                values[spec.variable] = arguments[index]
                index += 1
            }
        }
        let parsed = OptionValues(values: values, specs: options)
        return healthCheck ? .healthCheck(parsed) : .run(parsed)
    }

    /// The `--help` text: one line per setting with its variable, flag, default and meaning.
    public func helpText() -> String {
        var text = "\(program) \(version): \(summary)\n\n"
        text += "Usage: \(program) [options]\n\n"
        text += "Every option can also be set through its environment variable; the flag wins.\n\n"
        let width = options.map { $0.variable.count + $0.flag.count }.max() ?? 0
        for spec in options {
            let names = "\(spec.flag), \(spec.variable)"
            let padding = String(repeating: " ", count: max(1, width + 4 - names.count))
            text += "  \(names)\(padding)\(spec.summary) (default: \(spec.defaultDescription))\n"
        }
        text += "\n  --health-check  probe this service's /healthz on 127.0.0.1 and exit 0 if it answers 200\n"
        text += "  --version       print the version and exit\n"
        text += "  -h, --help      print this help and exit\n"
        return text
    }

    private func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else {
            return (argument, nil)
        }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
