import FoundationEssentials
import Glibc

/// logfmt encoding: bare values when they are safe, quoted and escaped otherwise.
enum LogFormat {
    static func value(_ raw: String) -> String {
        if !raw.isEmpty && raw.utf8.allSatisfy(isBare) {
            return raw
        }
        var quoted = "\""
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    quoted += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }

    /// RFC 3339 UTC time with milliseconds, e.g. `2026-12-04T19:40:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = padded(Int(parts.tm_year) + 1900, 4)
        let month = padded(Int(parts.tm_mon) + 1, 2)
        let day = padded(Int(parts.tm_mday), 2)
        let hour = padded(Int(parts.tm_hour), 2)
        let minute = padded(Int(parts.tm_min), 2)
        let second = padded(Int(parts.tm_sec), 2)
        return "\(year)-\(month)-\(day)T\(hour):\(minute):\(second).\(padded(milliseconds, 3))Z"
    }

    /// `value` in decimal, with leading zeros up to `width` digits (`%0*d` for values ≥ 0).
    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func isBare(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7f && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "=")
            && byte != UInt8(ascii: "\\")
    }
}
