import Foundation
import ServiceKit
import Testing
import TestSupport
@testable import PageviewsServer

/// `/metrics` of a running replica, checked by Prometheus's own tool.
@Suite struct ServerMetricsTests {
    /// Series an operator needs from a replica, by metric name.
    static let requiredNames = [
        "pageviews_build_info", "pageviews_views_recorded_total", "pageviews_views_rejected_total",
        "pageviews_views_buffered", "pageviews_views_dropped_total", "pageviews_flush_batches_total",
        "pageviews_flush_duration_seconds_bucket", "pageviews_flush_retries_total", "pageviews_replays_total",
        "pageviews_redis_reconnects_total", "pageviews_refreshes_total", "pageviews_totals_age_seconds",
        "pageviews_counters_tracked", "pageviews_clock_offset_seconds", "http_requests_total",
        "http_request_duration_seconds_bucket", "http_connections_open", "http_connections_total",
    ]

    /// Starts a replica, sends requests to several routes, waits for a flush, and returns `/metrics`.
    func scrapeBusyReplica() throws -> String {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        for path in ["/", "/api/v1/counters/a/views", "/api/v1/counters/b/views"] {
            _ = try client.send(method: path == "/" ? "GET" : "POST", path: path)
        }
        _ = try client.send(method: "GET", path: "/api/v1/counters/a/badge.svg")
        _ = try client.send(method: "GET", path: "/no/such/page")
        _ = try client.send(method: "DELETE", path: "/healthz")
        #expect(try TestReplica.waitForViews(client, counter: "a", expected: 2) == 2)
        return try client.send(method: "GET", path: "/metrics").bodyText
    }

    @Test func replicaMetricsPassPromtool() throws {
        let metrics = try scrapeBusyReplica()

        let result = try Promtool.checkMetrics(metrics)
        #expect(result.status == 0, "promtool: \(result.output)")
        #expect(result.output.isEmpty, "promtool: \(result.output)")
    }

    @Test func replicaExposesRequiredSeries() throws {
        let metrics = try scrapeBusyReplica()
        let names = Set(metrics.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            String(line.prefix(while: { $0 != "{" && $0 != " " }))
        })

        for name in Self.requiredNames {
            #expect(names.contains(name), "missing \(name)")
        }
        #expect(metrics.contains("pageviews_build_info{version=\"\(PageviewsVersion.current)\",component=\"server\"} 1"))
        #expect(metrics.contains("pageviews_views_dropped_total{reason=\"left_window\"}"))
        #expect(metrics.contains("pageviews_flush_batches_total{result=\"ok\"}"))
    }

    @Test func requestLabelsUseRoutePatterns() throws {
        let metrics = try scrapeBusyReplica()
        let requestLines = metrics.split(separator: "\n").filter { $0.hasPrefix("http_requests_total{") }

        #expect(requestLines.contains { $0.contains("route=\"/api/v1/counters/:name/views\",method=\"POST\",status=\"200\"") })
        #expect(requestLines.contains { $0.contains("route=\"unmatched\",method=\"GET\",status=\"404\"") })
        #expect(requestLines.contains { $0.contains("route=\"/healthz\",method=\"DELETE\",status=\"405\"") })
        #expect(!metrics.contains("/no/such/page"), "a raw path became a label value")
        #expect(!metrics.contains("counters/a/"), "a counter name became a label value")
    }
}
