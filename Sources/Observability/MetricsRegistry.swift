import FoundationEssentials
import Synchronization

/// The set of metrics one process exposes, rendered in the Prometheus text
/// exposition format (version 0.0.4).
///
/// Metrics are created once, at start-up or on first use, and then updated
/// lock-free; asking again for the same name and labels returns the same
/// instance. Label values must come from a small fixed set (routes, status
/// codes, results), never from request data such as counter names.
public final class MetricsRegistry: Sendable {
    private enum Kind: String, Sendable {
        case counter
        case gauge
        case histogram
    }

    private enum Instrument: Sendable {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
    }

    private struct Family: Sendable {
        var kind: Kind
        var help: String
        var series: [(labels: Labels, instrument: Instrument)]
    }

    public typealias Labels = [(name: String, value: String)]

    /// Families by metric name, in registration order, guarded by the mutex.
    private let families = Mutex<(order: [String], byName: [String: Family])>(([], [:]))

    public init() {}

    public func counter(_ name: String, help: String, labels: Labels = []) -> Counter {
        let instrument = register(name, kind: .counter, help: help, labels: labels) { .counter(Counter()) }
        guard case .counter(let counter) = instrument else { preconditionFailure("\(name) is not a counter") }
        return counter
    }

    public func gauge(_ name: String, help: String, labels: Labels = []) -> Gauge {
        let instrument = register(name, kind: .gauge, help: help, labels: labels) { .gauge(Gauge()) }
        guard case .gauge(let gauge) = instrument else { preconditionFailure("\(name) is not a gauge") }
        return gauge
    }

    public func histogram(
        _ name: String, help: String, labels: Labels = [], bounds: [Double] = Histogram.latencyBounds
    ) -> Histogram {
        let instrument = register(name, kind: .histogram, help: help, labels: labels) {
            .histogram(Histogram(bounds: bounds))
        }
        guard case .histogram(let histogram) = instrument else {
            preconditionFailure("\(name) is not a histogram")
        }
        return histogram
    }

    /// Renders every metric in the text exposition format.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var output = ""
        for name in snapshot.order {
            guard let family = snapshot.byName[name] else { continue }
            output += "# HELP \(name) \(PrometheusText.escapeHelp(family.help))\n"
            output += "# TYPE \(name) \(family.kind.rawValue)\n"
            for (labels, instrument) in family.series {
                output += renderSeries(name: name, labels: labels, instrument: instrument)
            }
        }
        return output
    }

    private func register(
        _ name: String, kind: Kind, help: String, labels: Labels, make: () -> Instrument
    ) -> Instrument {
        precondition(PrometheusText.isValidName(name), "invalid metric name \(name)")
        precondition(
            labels.allSatisfy { PrometheusText.isValidName($0.name) && !$0.name.hasPrefix("__") && $0.name != "le" },
            "invalid label name in \(name)")
        return families.withLock { state in
            var family = state.byName[name] ?? Family(kind: kind, help: help, series: [])
            precondition(family.kind == kind, "metric \(name) registered as \(family.kind) and \(kind)")
            if let existing = family.series.first(where: { sameLabels($0.labels, labels) }) {
                return existing.instrument
            }
            let instrument = make()
            family.series.append((labels, instrument))
            if state.byName[name] == nil {
                state.order.append(name)
            }
            state.byName[name] = family
            return instrument
        }
    }

    private func renderSeries(name: String, labels: Labels, instrument: Instrument) -> String {
        switch instrument {
        case .counter(let counter):
            return "\(name)\(PrometheusText.labels(labels)) \(counter.value)\n"
        case .gauge(let gauge):
            return "\(name)\(PrometheusText.labels(labels)) \(PrometheusText.number(gauge.value))\n"
        case .histogram(let histogram):
            let snapshot = histogram.snapshot()
            var lines = ""
            for (bound, count) in zip(snapshot.bounds, snapshot.cumulativeCounts) {
                let bucketLabels = labels + [("le", PrometheusText.number(bound))]
                lines += "\(name)_bucket\(PrometheusText.labels(bucketLabels)) \(count)\n"
            }
            lines += "\(name)_bucket\(PrometheusText.labels(labels + [("le", "+Inf")])) \(snapshot.count)\n"
            lines += "\(name)_sum\(PrometheusText.labels(labels)) \(PrometheusText.number(snapshot.sum))\n"
            lines += "\(name)_count\(PrometheusText.labels(labels)) \(snapshot.count)\n"
            return lines
        }
    }

    private func sameLabels(_ lhs: Labels, _ rhs: Labels) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
