import Counting
import ServiceKit

/// JSON bodies of the counter API, written by hand: the fields are fixed and
/// the only strings are counter and instance names, whose alphabets need no
/// escaping, so no encoder runs on the request path.
enum CounterJSON {
    /// `{"counter": …, "views_last_60s": …, "instance": …, "as_of": …, "stale": …}`;
    /// `as_of` is null before the first total is known. With `includeSeries`
    /// a `series` field adds the views per second of the window, oldest first.
    static func body(
        counter: CounterName, total: CounterTotal?, instance: String, stale: Bool, includeSeries: Bool = false
    ) -> [UInt8] {
        let views = total?.views ?? 0
        let asOf = total.map { "\"\(UnixTime.iso8601(millis: $0.asOfMillis))\"" } ?? "null"
        var text = "{\"counter\":\"\(counter.rawValue)\",\"views_last_60s\":\(views)"
            + ",\"instance\":\"\(instance)\",\"as_of\":\(asOf),\"stale\":\(stale)"
        if includeSeries {
            let series = total?.series ?? Array(repeating: 0, count: Int(Window.length))
            text += ",\"series\":[" + series.map(String.init).joined(separator: ",") + "]"
        }
        text += "}"
        return Array(text.utf8)
    }

    /// `{"error": …}` with the message escaped as a JSON string.
    static func error(_ message: String) -> [UInt8] {
        Array("{\"error\":\(quoted(message))}".utf8)
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
