/// The rolling total of one counter, as the aggregator computed it.
public struct CounterTotal: Hashable, Sendable {
    public let counter: CounterName
    /// Views in the window that ends at the second of `asOfMillis`.
    public let views: Int64
    /// Store time the total was computed at, in Unix milliseconds.
    public let asOfMillis: Int64
    /// Views per second over the window, oldest first; `Window.length` entries.
    public let series: [Int64]

    public init(counter: CounterName, asOfMillis: Int64, series: [Int64]) {
        self.counter = counter
        self.asOfMillis = asOfMillis
        self.series = series
        self.views = series.reduce(0, +)
    }

    /// Sums `bucketCounts` (one per second of the window, oldest first, nil for
    /// a missing bucket) into the total at `asOfMillis`.
    public static func summing(
        _ counter: CounterName, bucketCounts: [Int64?], asOfMillis: Int64
    ) -> CounterTotal {
        precondition(bucketCounts.count == Int(Window.length), "one count per second of the window")
        return CounterTotal(counter: counter, asOfMillis: asOfMillis, series: bucketCounts.map { $0 ?? 0 })
    }

    /// The Unix second the window ends at.
    public var lastSecond: Int64 {
        Self.second(ofMillis: asOfMillis)
    }

    /// The Unix second that contains `millis`, rounding down for times before 1970 too.
    public static func second(ofMillis millis: Int64) -> Int64 {
        millis >= 0 ? millis / 1000 : (millis - 999) / 1000
    }
}

extension CounterTotal {
    /// Encodes the total as stored in `pv:{c}:total`:
    /// `1 <as-of Unix ms> <views> <count,count,...>`, the series oldest first.
    /// The leading `1` is the format version.
    public func encoded() -> String {
        let series = series.map(String.init).joined(separator: ",")
        return "1 \(asOfMillis) \(views) \(series)"
    }

    /// Decodes what `encoded()` wrote; returns nil for anything else, so a
    /// corrupt or foreign value is treated as missing rather than trusted.
    public init?(counter: CounterName, encoded: String) {
        let fields = encoded.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == "1",
            let asOf = Int64(fields[1]), let views = Int64(fields[2])
        else { return nil }

        let series = fields[3].split(separator: ",").compactMap { Int64($0) }
        guard series.count == Int(Window.length), series.reduce(0, +) == views else { return nil }
        self.init(counter: counter, asOfMillis: asOf, series: series)
    }
}
