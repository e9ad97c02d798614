import Counting
import HTTPServer
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
        let asOf = total.map { UnixTime.iso8601(millis: $0.asOfMillis) }
        return body(
            counter: counter, total: total, asOf: asOf, instance: instance, stale: stale, includeSeries: includeSeries)
    }

    /// The same body with `as_of` formatted by the caller, so that the request
    /// path does not format a time for every response.
    ///
    /// Bytes are appended to one array instead of interpolating a string and
    /// converting it, which saves several allocations per response.
    static func body(
        counter: CounterName, total: CounterTotal?, asOf: String?, instance: String, stale: Bool,
        includeSeries: Bool
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(includeSeries ? 512 : 160)
        bytes.appendUTF8(#"{"counter":""#)
        bytes.appendUTF8(counter.rawValue)
        bytes.appendUTF8(#"","views_last_60s":"#)
        bytes.appendDecimal(Int(total?.views ?? 0))
        bytes.appendUTF8(#","instance":""#)
        bytes.appendUTF8(instance)
        bytes.appendUTF8(#"","as_of":"#)
        if let asOf {
            bytes.append(UInt8(ascii: "\""))
            bytes.appendUTF8(asOf)
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.appendUTF8("null")
        }
        bytes.appendUTF8(#","stale":"#)
        bytes.appendUTF8(stale ? "true" : "false")
        if includeSeries {
            let series = total?.series ?? Array(repeating: 0, count: Int(Window.length))
            bytes.appendUTF8(#","series":["#)
            for (index, count) in series.enumerated() {
                if index > 0 {
                    bytes.append(UInt8(ascii: ","))
                }
                bytes.appendDecimal(Int(count))
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
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
