import Testing
@testable import Observability

@Suite struct MetricsRegistryTests {
    /// The sample lines of `text` whose metric name (before `{` or a space) is `name`.
    func samples(_ text: String, named name: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { line in
            !line.hasPrefix("#") && (line.hasPrefix(name + "{") || line.hasPrefix(name + " "))
        }
    }

    @Test func counterRendersHelpTypeAndValue() {
        let registry = MetricsRegistry()
        let counter = registry.counter("jobs_total", help: "Jobs run.")
        counter.increment()
        counter.increment(by: 4)

        let text = registry.render()
        #expect(text == "# HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total 5\n")
    }

    @Test func sameNameAndLabelsReturnSameCounter() {
        let registry = MetricsRegistry()
        let first = registry.counter("hits_total", help: "Hits.", labels: [("result", "ok")])
        let second = registry.counter("hits_total", help: "Hits.", labels: [("result", "ok")])
        let other = registry.counter("hits_total", help: "Hits.", labels: [("result", "error")])
        first.increment()
        second.increment()

        #expect(other.value == 0)
        let text = registry.render()
        #expect(samples(text, named: "hits_total") == ["hits_total{result=\"ok\"} 2", "hits_total{result=\"error\"} 0"])
        #expect(text.components(separatedBy: "# TYPE hits_total").count == 2, "one TYPE line per family")
    }

    @Test func gaugeRendersIntegersAndFractions() {
        let registry = MetricsRegistry()
        let open = registry.gauge("open_things", help: "Open things.")
        let age = registry.gauge("age_seconds", help: "Age.")
        open.increment()
        open.increment()
        open.decrement()
        age.set(0.25)

        let text = registry.render()
        #expect(samples(text, named: "open_things") == ["open_things 1"])
        #expect(samples(text, named: "age_seconds") == ["age_seconds 0.25"])
    }

    @Test func gaugeRendersSpecialValues() {
        let registry = MetricsRegistry()
        registry.gauge("unknown_seconds", help: "Unknown.").set(Double.nan)
        registry.gauge("far_seconds", help: "Far.").set(-Double.infinity)
        registry.gauge("offset_seconds", help: "Offset.").set(Int64(-3))

        let text = registry.render()
        #expect(samples(text, named: "unknown_seconds") == ["unknown_seconds NaN"])
        #expect(samples(text, named: "far_seconds") == ["far_seconds -Inf"])
        #expect(samples(text, named: "offset_seconds") == ["offset_seconds -3"])
    }

    @Test func labelValuesAreEscaped() {
        let registry = MetricsRegistry()
        registry.counter("odd_total", help: "Odd labels.", labels: [("path", "a\\b \"c\"\nd")]).increment()

        let text = registry.render()
        #expect(samples(text, named: "odd_total") == ["odd_total{path=\"a\\\\b \\\"c\\\"\\nd\"} 1"])
    }

    @Test func helpTextIsEscaped() {
        let registry = MetricsRegistry()
        _ = registry.counter("documented_total", help: "First line\nsecond \\ line with \"quotes\".")

        let text = registry.render()
        #expect(text.hasPrefix("# HELP documented_total First line\\nsecond \\\\ line with \"quotes\".\n"))
    }

    @Test func histogramBucketsAreCumulative() {
        let registry = MetricsRegistry()
        let histogram = registry.histogram(
            "work_seconds", help: "Work.", labels: [("route", "/")], bounds: [0.5, 0.1, 1])
        for value in [0.05, 0.1, 0.3, 0.7, 5] {
            histogram.observe(value)
        }

        let text = registry.render()
        #expect(samples(text, named: "work_seconds_bucket") == [
            "work_seconds_bucket{route=\"/\",le=\"0.1\"} 2",
            "work_seconds_bucket{route=\"/\",le=\"0.5\"} 3",
            "work_seconds_bucket{route=\"/\",le=\"1\"} 4",
            "work_seconds_bucket{route=\"/\",le=\"+Inf\"} 5",
        ])
        #expect(samples(text, named: "work_seconds_count") == ["work_seconds_count{route=\"/\"} 5"])
        #expect(samples(text, named: "work_seconds_sum") == ["work_seconds_sum{route=\"/\"} 6.15"])
    }

    @Test func histogramSnapshotIsConsistentUnderLoad() async {
        let histogram = MetricsRegistry().histogram("busy_seconds", help: "Busy.", bounds: [0.001, 0.01])
        let observers = Task.detached {
            for index in 0..<200_000 {
                histogram.observe(index % 2 == 0 ? 0.0005 : 0.005)
            }
        }

        var snapshots = 0
        while snapshots < 2_000 {
            let snapshot = histogram.snapshot()
            #expect(snapshot.cumulativeCounts.last ?? 0 <= snapshot.count)
            #expect(snapshot.cumulativeCounts == snapshot.cumulativeCounts.sorted())
            snapshots += 1
        }
        await observers.value
        #expect(histogram.snapshot().count == 200_000)
        #expect(histogram.snapshot().cumulativeCounts == [100_000, 200_000])
    }

    @Test func familiesKeepRegistrationOrder() {
        let registry = MetricsRegistry()
        _ = registry.gauge("zeta", help: "Last letter.")
        _ = registry.counter("alpha_total", help: "First letter.")

        let types = registry.render().split(separator: "\n").filter { $0.hasPrefix("# TYPE") }
        #expect(types == ["# TYPE zeta gauge", "# TYPE alpha_total counter"])
    }

    @Test(arguments: ["ok_name", "_x", "a:b", "A9"])
    func validNamesAreAccepted(_ name: String) {
        #expect(PrometheusText.isValidName(name))
    }

    @Test(arguments: ["", "9lives", "with-dash", "spa ce", "é"])
    func invalidNamesAreRejected(_ name: String) {
        #expect(!PrometheusText.isValidName(name))
    }
}
