/// Raw setting values, merged from the environment and the command line,
/// with typed accessors that reject bad input with a message naming the setting.
public struct OptionValues: Sendable {
    private let values: [String: String]
    private let specs: [String: OptionSpec]

    init(values: [String: String], specs: [OptionSpec]) {
        self.values = values
        self.specs = Dictionary(uniqueKeysWithValues: specs.map { ($0.variable, $0) })
    }

    /// Returns the value of `variable`, or nil when neither the environment nor a flag set it.
    /// An empty value counts as unset, as shells and compose files often pass one.
    public func string(_ variable: String) -> String? {
        guard let value = values[variable], !value.isEmpty else { return nil }
        return value
    }

    /// Returns an integer within `range`, or `defaultValue` when unset.
    public func integer(_ variable: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let raw = string(variable) else { return defaultValue }
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigurationError(
                "invalid \(name(variable)): '\(raw)' is not an integer from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// Returns a boolean written as 1/0, true/false, yes/no or on/off, or `defaultValue` when unset.
    public func boolean(_ variable: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let raw = string(variable) else { return defaultValue }
        switch raw.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            throw ConfigurationError("invalid \(name(variable)): '\(raw)' is not one of 1, 0, true, false, yes, no, on, off")
        }
    }

    /// Returns the variable and its flag, as error messages name them: `PORT (--port)`.
    public func name(_ variable: String) -> String {
        guard let spec = specs[variable] else { return variable }
        return "\(spec.variable) (\(spec.flag))"
    }
}
