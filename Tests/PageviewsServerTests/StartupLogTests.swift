import Counting
import Foundation
import Observability
import RedisClient
import Testing
import TestSupport
@testable import PageviewsServer

/// What a replica logs about itself: the start-up summary, the stop, and
/// reconnects, never a secret.
@Suite struct StartupLogTests {
    @Test func startupSummaryMasksRedisPassword() throws {
        let password = "pw-\(UUID().uuidString)"
        let redis = try RedisServerFixture.start(arguments: ["--requirepass", password])
        defer { redis.stop() }
        let sink = MemorySink()
        let redisConfiguration = try RedisConfiguration(url: "redis://default:\(password)@127.0.0.1:\(redis.port)")

        let application = try TestReplica.start(logger: Logger(label: "test", level: .trace, sink: sink)) {
            $0.redis = redisConfiguration
        }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        #expect(try client.send(method: "POST", path: "/api/v1/counters/logged/views").status == 200)
        application.drainAndStop()

        let lines = sink.lines
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { !$0.contains(password) }, "a log line contains the password")
        let started = try #require(lines.first { $0.contains("msg=\"server started\"") })
        #expect(started.contains("store=redis://default:***@127.0.0.1:\(redis.port)/0"))
        #expect(started.contains("instance=test-1"))
        #expect(started.contains("flush_interval_ms=20"))
        #expect(lines.contains { $0.contains("msg=\"final flush complete\"") })
        #expect(lines.contains { $0.contains("msg=\"server stopped\"") })
    }

    @Test func reconnectIsLoggedAsNotice() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let sink = MemorySink()
        let store = RedisCounterStore(
            configuration: try RedisConfiguration(url: redis.url), logger: Logger(label: "test", level: .notice, sink: sink),
            reconnects: MetricsRegistry().counter("reconnects_total", help: "test"))
        // A read with a counter always goes to Redis; one without may be served from the clock sample.
        let counters = [try CounterName("reconnect")]
        _ = try store.readTotals(of: counters)

        try redis.restart()
        var succeeded = false
        for _ in 0..<5 where !succeeded {
            succeeded = (try? store.readTotals(of: counters)) != nil
        }
        #expect(succeeded)
        let notice = try #require(sink.lines.first { $0.contains("msg=\"redis reconnected\"") })
        #expect(notice.contains("level=notice"))
        #expect(notice.contains("reconnects=1"))
        #expect(sink.lines.filter { $0.contains("redis reconnected") }.count == 1)
    }
}
