import Foundation
import RedisClient
import Testing
import TestSupport

extension ChaosTests {
    /// `DEBUG SLEEP` stalls Redis for longer than the replicas' 1 s reply
    /// timeout while they flush: Redis applies the timed-out batches when it
    /// wakes, and the replicas' retries of them must count as duplicates.
    @Test func slowRedisRetriesAreDuplicates() throws {
        var options = ClusterOptions()
        options.withBalancer = false
        options.redisArguments = ["--enable-debug-command", "yes"]
        let cluster = try ClusterFixture.start(options)
        defer { cluster.stop() }
        let stalls = ChaosMode.pick(short: 3, full: 10)
        var plan = LoadPlan(ports: cluster.replicaPorts, counters: Self.counters("slow"))
        plan.maxDuration = 120

        let scenario = ChaosScenario("slow Redis (DEBUG SLEEP 1.5 s)", cluster: cluster, plan: plan)
        let admin = try RedisConnection.connect(
            RedisConfiguration(host: "127.0.0.1", port: cluster.redis.port, replyTimeout: .seconds(10)))
        let figures = try scenario.run { scenario in
            scenario.pause(2)
            for _ in 0..<stalls {
                _ = try admin.command("DEBUG", "SLEEP", "1.5")
                scenario.pause(2)
            }
            scenario.figures.note("stalls", stalls)
        }

        Self.expectExact(figures, cluster)
        #expect(figures.failedRequests == 0)
        #expect(scenario.replicaMetric("pageviews_flush_duplicates_total") > 0, "no retry met an applied batch")
    }
}
