/// The outcome of one chaos scenario, printed as one `chaos-figures` line
/// that scripts/chaos collects into a table.
public struct ChaosFigures: Sendable {
    public var scenario: String
    /// Name of the test function, so scripts/chaos can attach its result.
    public var test: String
    /// Views that clients got a 2xx for and that the served window covers
    /// (every view, for load shorter than the window), over all counters. A
    /// view sent across a second boundary at the window's first second may
    /// or may not be inside, and counts as sent when a replica served it.
    public var sent = 0
    /// Views the replicas served in the final reading, over all counters;
    /// the smallest sum of any replica.
    public var counted = 0
    /// Views sent but not served, counter by counter; the largest of any replica.
    public var lost = 0
    /// Views served but not sent, counter by counter; the largest of any replica.
    public var twice = 0
    /// Counter readings of the final reading that were `stale: true`; an
    /// exact but stale total is a cached one, not a recomputed one.
    public var staleAtEnd = 0
    /// Requests that got no 2xx.
    public var failedRequests = 0
    /// See `StalenessMonitor`, in ms.
    public var maxStalenessMillis: Int64 = 0
    /// From the end of the load until every replica served the exact totals,
    /// in ms; nil if they never did (after a SIGKILL some views are lost).
    public var convergenceMillis: Int64?
    /// Scenario-specific figures, in order.
    public var notes: [(key: String, value: String)] = []

    public init(scenario: String, test: String) {
        self.scenario = scenario
        self.test = test
    }

    public mutating func note(_ key: String, _ value: Any) {
        notes.append((key, "\(value)"))
    }

    /// One line of `key=value` fields; strings with spaces are quoted.
    public var line: String {
        var fields = [
            ("scenario", "\"\(scenario)\""), ("test", test), ("sent", "\(sent)"), ("counted", "\(counted)"),
            ("lost", "\(lost)"), ("twice", "\(twice)"), ("failed_requests", "\(failedRequests)"),
            ("stale_at_end", "\(staleAtEnd)"),
            ("staleness_ms", "\(maxStalenessMillis)"), ("converge_ms", convergenceMillis.map(String.init) ?? "none"),
        ]
        fields += notes.map { ($0.key, $0.value.contains(" ") ? "\"\($0.value)\"" : $0.value) }
        return "chaos-figures " + fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }
}
