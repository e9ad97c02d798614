import Observability
import ServiceKit

/// The aggregator's metrics; no label takes a counter name.
struct AggregatorMetrics: Sendable {
    let registry: MetricsRegistry
    let ticksSucceeded: Counter
    let ticksFailed: Counter
    let tickDuration: Histogram
    let activeCounters: Gauge
    let redisReconnects: Counter

    init(registry: MetricsRegistry) {
        self.registry = registry
        registry.gauge(
            "pageviews_build_info", help: "Build information; the value is always 1.",
            labels: [("version", PageviewsVersion.current), ("component", "aggregator")]
        ).set(1.0)
        ticksSucceeded = registry.counter(
            "pageviews_aggregator_ticks_total", help: "Aggregator ticks by result.", labels: [("result", "ok")])
        ticksFailed = registry.counter(
            "pageviews_aggregator_ticks_total", help: "Aggregator ticks by result.", labels: [("result", "error")])
        tickDuration = registry.histogram(
            "pageviews_aggregator_tick_duration_seconds", help: "Time of one tick, in seconds.")
        activeCounters = registry.gauge(
            "pageviews_aggregator_active_counters", help: "Counters summed in the latest tick.")
        redisReconnects = registry.counter(
            "pageviews_redis_reconnects_total", help: "Redis connections opened after the first.")
    }
}
