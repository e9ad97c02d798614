import Counting
import Foundation
import Observability
import RedisClient
import ServiceKit
import Testing
import TestSupport
@testable import PageviewsAggregator

/// The aggregator's `/metrics` listener and its start and stop logs.
@Suite struct AggregatorMetricsTests {
    func startApplication(_ redisURL: String, logger: Logger) throws -> AggregatorApplication {
        var configuration = AggregatorConfiguration(redis: try RedisConfiguration(url: redisURL))
        configuration.metricsPort = 0
        configuration.metricsHost = "127.0.0.1"
        configuration.tickInterval = .milliseconds(20)
        configuration.instanceName = "aggregator-test"
        let application = AggregatorApplication(configuration: configuration, logger: logger)
        try application.start()
        return application
    }

    /// Scrapes `/metrics` until a tick has succeeded, or for 10 s at most.
    func scrapeAfterTicks(_ port: Int) throws -> String {
        let client = HTTPTestClient(host: "127.0.0.1", port: port)
        var text = ""
        for _ in 0..<500 {
            text = try client.send(method: "GET", path: "/metrics").bodyText
            if text.contains("pageviews_aggregator_ticks_total{result=\"ok\"}"),
                !text.contains("pageviews_aggregator_ticks_total{result=\"ok\"} 0")
            {
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        // Request metrics are recorded after a response is sent, so only a
        // later scrape is sure to include the scrapes before it.
        return try client.send(method: "GET", path: "/metrics").bodyText
    }

    @Test func aggregatorMetricsPassPromtool() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let now = try #require(try connection.command("TIME").array?.first?.integer)
        try connection.command("ZADD", RedisArgument(KeySchema.activeCounters), RedisArgument(now), "scraped")
        let application = try startApplication(redis.url, logger: Logger(label: "test", level: .critical))
        defer { application.stop() }

        let metrics = try scrapeAfterTicks(application.metricsPort)
        let result = try Promtool.checkMetrics(metrics)
        #expect(result.status == 0, "promtool: \(result.output)")
        #expect(result.output.isEmpty, "promtool: \(result.output)")

        for name in [
            "pageviews_aggregator_ticks_total", "pageviews_aggregator_tick_duration_seconds_bucket",
            "pageviews_aggregator_active_counters", "pageviews_redis_reconnects_total",
            "http_requests_total", "http_connections_open",
        ] {
            #expect(metrics.contains("\n\(name){") || metrics.contains("\n\(name) "), "missing \(name)")
        }
        #expect(metrics.contains("pageviews_aggregator_active_counters 1"))
        #expect(metrics.contains("pageviews_build_info{version=\"\(PageviewsVersion.current)\",component=\"aggregator\"} 1"))
    }

    @Test func startLogMasksPasswordAndStopIsLogged() throws {
        let password = "agg-\(UUID().uuidString)"
        let redis = try RedisServerFixture.start(arguments: ["--requirepass", password])
        defer { redis.stop() }
        let sink = MemorySink()

        let application = try startApplication(
            "redis://default:\(password)@127.0.0.1:\(redis.port)", logger: Logger(label: "test", level: .trace, sink: sink))
        _ = try scrapeAfterTicks(application.metricsPort)
        application.stop()

        let lines = sink.lines
        #expect(lines.allSatisfy { !$0.contains(password) }, "a log line contains the password")
        let started = try #require(lines.first { $0.contains("msg=\"aggregator started\"") })
        #expect(started.contains("redis=redis://default:***@127.0.0.1:\(redis.port)/0"))
        #expect(lines.contains { $0.contains("msg=\"aggregator stopped\"") })
    }
}
