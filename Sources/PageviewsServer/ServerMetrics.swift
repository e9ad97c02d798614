import Observability
import ServiceKit

/// The replica's metrics, registered once at start-up. Label values come
/// from fixed sets only: no counter name ever becomes a label.
struct ServerMetrics: Sendable {
    let registry: MetricsRegistry
    let viewsRecorded: Counter
    let viewsRejected: Counter
    let viewsBuffered: Gauge
    let viewsDroppedExpired: Counter
    let viewsDroppedAtShutdown: Counter
    let flushApplied: Counter
    let flushFailed: Counter
    let flushDuplicates: Counter
    let flushDuration: Histogram
    let flushRetries: Counter
    let replays: Counter
    let storeBehind: Counter
    let redisReconnects: Counter
    let refreshSucceeded: Counter
    let refreshFailed: Counter
    let totalsAge: Gauge
    let countersTracked: Gauge
    let clockOffset: Gauge

    init(registry: MetricsRegistry) {
        self.registry = registry
        let info = registry.gauge(
            "pageviews_build_info", help: "Build information; the value is always 1.",
            labels: [("version", PageviewsVersion.current), ("component", "server")])
        info.set(1.0)
        viewsRecorded = registry.counter("pageviews_views_recorded_total", help: "Views recorded by this replica.")
        viewsRejected = registry.counter(
            "pageviews_views_rejected_total", help: "Views rejected because the replica tracks MAX_COUNTERS counters.")
        viewsBuffered = registry.gauge(
            "pageviews_views_buffered", help: "Views recorded but not yet acknowledged by the store.")
        viewsDroppedExpired = registry.counter(
            "pageviews_views_dropped_total",
            help: "Views dropped before the store acknowledged them, by reason.",
            labels: [("reason", "left_window")])
        viewsDroppedAtShutdown = registry.counter(
            "pageviews_views_dropped_total",
            help: "Views dropped before the store acknowledged them, by reason.",
            labels: [("reason", "shutdown")])
        flushApplied = registry.counter(
            "pageviews_flush_batches_total", help: "Flush rounds by result.", labels: [("result", "ok")])
        flushFailed = registry.counter(
            "pageviews_flush_batches_total", help: "Flush rounds by result.", labels: [("result", "error")])
        flushDuplicates = registry.counter(
            "pageviews_flush_duplicates_total",
            help: "Counter deltas the store had applied already: retries whose earlier reply was lost.")
        flushDuration = registry.histogram(
            "pageviews_flush_duration_seconds", help: "Time of one flush round trip, in seconds.")
        flushRetries = registry.counter(
            "pageviews_flush_retries_total", help: "Flush rounds sent again after a failure.")
        replays = registry.counter(
            "pageviews_replays_total", help: "Counter deltas replayed after the store lost data.")
        storeBehind = registry.counter(
            "pageviews_store_data_loss_total",
            help: "Times the store's sequence number for a counter was behind an acknowledged batch.")
        redisReconnects = registry.counter(
            "pageviews_redis_reconnects_total", help: "Redis connections opened after the first, over all sessions.")
        refreshSucceeded = registry.counter(
            "pageviews_refreshes_total", help: "Reads of the totals by result.", labels: [("result", "ok")])
        refreshFailed = registry.counter(
            "pageviews_refreshes_total", help: "Reads of the totals by result.", labels: [("result", "error")])
        totalsAge = registry.gauge(
            "pageviews_totals_age_seconds",
            help: "Seconds between the store's time and the newest total read, updated every refresh attempt; "
                + "NaN until a total was read.")
        totalsAge.set(Double.nan)
        countersTracked = registry.gauge(
            "pageviews_counters_tracked", help: "Named counters this replica records or serves.")
        clockOffset = registry.gauge(
            "pageviews_clock_offset_seconds", help: "Store clock minus this replica's clock, in seconds.")
    }
}
