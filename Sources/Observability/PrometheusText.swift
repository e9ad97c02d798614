/// Pieces of the Prometheus text exposition format (version 0.0.4): names,
/// label sets, sample values and escaping.
enum PrometheusText {
    /// Whether `name` is a valid metric or label name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    /// Colons are meant for recording rules, but the format allows them.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
    }

    /// `{name="value",…}`, or nothing for an empty set.
    static func labels(_ labels: MetricsRegistry.Labels) -> String {
        guard !labels.isEmpty else { return "" }
        let pairs = labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// A sample value or bucket bound: integers without a fraction, `NaN`,
    /// `+Inf` and `-Inf` as the format spells them, other values in the
    /// shortest form that reads back as the same `Double`.
    static func number(_ value: Double) -> String {
        if value.isNaN {
            return "NaN"
        }
        if value.isInfinite {
            return value > 0 ? "+Inf" : "-Inf"
        }
        // 2^53: beyond it not every integer is a Double, so keep the float form.
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// Escapes a label value: backslash, double quote and line feed.
    static func escapeLabelValue(_ value: String) -> String {
        escape(value, quote: true)
    }

    /// Escapes `# HELP` text: backslash and line feed.
    static func escapeHelp(_ help: String) -> String {
        escape(help, quote: false)
    }

    private static func escape(_ text: String, quote: Bool) -> String {
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\"" where quote: result += "\\\""
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
