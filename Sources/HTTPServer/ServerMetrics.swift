import Observability

/// Connection metrics, shared by every loop; the metric types are thread-safe.
struct ServerMetrics: Sendable {
    let registry: MetricsRegistry
    let connectionsOpen: Gauge
    let connectionsTotal: Counter

    init(registry: MetricsRegistry) {
        self.registry = registry
        connectionsOpen = registry.gauge("http_connections_open", help: "HTTP connections currently open.")
        connectionsTotal = registry.counter("http_connections_total", help: "HTTP connections accepted.")
    }
}

/// Per-loop cache of request metrics, so the hot path looks up a dictionary
/// instead of taking the registry's lock. Used only on its loop's thread.
final class RequestMetricsRecorder {
    private struct Key: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    /// Route label of requests that the parser rejected or that timed out before they were complete.
    static let invalidRoute = "invalid"
    /// Method label when no method was parsed.
    static let unknownMethod = "unknown"

    private let registry: MetricsRegistry
    private var requests: [Key: Counter] = [:]
    private var durations: [String: Histogram] = [:]
    private var lastCounter: (key: Key, counter: Counter)?
    private var lastDuration: (route: String, histogram: Histogram)?

    init(registry: MetricsRegistry) {
        self.registry = registry
    }

    /// Counts one response, and observes its handler's duration unless `seconds` is nil.
    func record(route: String, method: String, status: Int, seconds: Double?) {
        let key = Key(route: route, method: method, status: status)
        let counter: Counter
        // Most responses repeat the previous key; comparing the labels, which
        // share storage with the previous ones, is cheaper than hashing them.
        if let last = lastCounter, last.key == key {
            counter = last.counter
        } else {
            counter = requests[key] ?? makeCounter(key)
            lastCounter = (key, counter)
        }
        counter.increment()

        guard let seconds else { return }
        let histogram: Histogram
        if let last = lastDuration, last.route == route {
            histogram = last.histogram
        } else {
            histogram = durations[route] ?? makeHistogram(route)
            lastDuration = (route, histogram)
        }
        histogram.observe(seconds)
    }

    private func makeCounter(_ key: Key) -> Counter {
        let counter = registry.counter(
            "http_requests_total", help: "HTTP responses sent, by route, method and status.",
            labels: [("route", key.route), ("method", key.method), ("status", String(key.status))])
        requests[key] = counter
        return counter
    }

    private func makeHistogram(_ route: String) -> Histogram {
        let histogram = registry.histogram(
            "http_request_duration_seconds", help: "Time spent in the request handler, in seconds.",
            labels: [("route", route)])
        durations[route] = histogram
        return histogram
    }
}
