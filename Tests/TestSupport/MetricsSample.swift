/// The samples of one `GET /metrics` response in the Prometheus text format.
public struct MetricsSample: Sendable {
    /// Values by series, such as `pageviews_flush_batches_total{result="ok"}`.
    public let series: [String: Double]

    public init(text: String) {
        var series: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            series[String(line[..<space])] = value
        }
        self.series = series
    }

    /// Reads `/metrics` from the process listening on `port`.
    public static func read(port: Int) throws -> MetricsSample {
        let client = HTTPTestClient(host: "127.0.0.1", port: port, timeout: .seconds(3))
        defer { client.close() }
        let response = try client.send(method: "GET", path: "/metrics")
        guard response.status == 200 else {
            throw FixtureError("GET /metrics on port \(port) returned \(response.status)")
        }
        return MetricsSample(text: response.bodyText)
    }

    /// Returns the sum of every series of metric `name` whose labels contain `labelFilter` (all of them when nil).
    public func value(_ name: String, labelFilter: String? = nil) -> Double {
        series.filter { key, _ in
            let metric = key.split(separator: "{", maxSplits: 1).first.map(String.init) ?? key
            return metric == name && (labelFilter.map { key.contains($0) } ?? true)
        }.values.reduce(0, +)
    }

    /// `value(_:labelFilter:)` as an integer, for counters and gauges.
    public func count(_ name: String, labelFilter: String? = nil) -> Int {
        Int(value(name, labelFilter: labelFilter))
    }
}
