import Foundation
import Testing
import TestSupport

extension ChaosTests {
    /// Redis restarts empty (no persistence) while load runs. The replicas
    /// find from the sequence numbers that Redis lost their batches and
    /// replay those inside the window, including the batches of a counter
    /// that got its views before the restart and none after.
    @Test func redisRestartReplaysWindow() throws {
        var options = ClusterOptions()
        options.withBalancer = false
        let cluster = try ClusterFixture.start(options)
        defer { cluster.stop() }
        let counters = Self.counters("restart", count: 3)
        var plan = LoadPlan(ports: cluster.replicaPorts, counters: Array(counters.prefix(2)))
        plan.maxDuration = ChaosMode.pick(short: 60, full: 120)
        let restarts = ChaosMode.pick(short: 1, full: 3)

        let scenario = ChaosScenario("Redis restarted empty", cluster: cluster, plan: plan)
        scenario.extraCounters = [counters[2]]
        var recoveries: [String] = []
        let figures = try scenario.run { scenario in
            var idlePlan = LoadPlan(ports: cluster.replicaPorts, counters: [counters[2]])
            idlePlan.maxViews = 300
            idlePlan.maxDuration = 10
            let idleLoad = LoadGenerator(plan: idlePlan, tally: scenario.load.tally)
            idleLoad.start()
            _ = idleLoad.waitUntilFinished(timeout: 20)
            scenario.pause(2)
            for _ in 0..<restarts {
                try cluster.redis.restart()
                let recovery = scenario.measureRecovery(timeout: 30)
                recoveries.append(recovery.map(String.init) ?? "none")
                scenario.pause(3)
            }
            scenario.figures.note("recovery_ms", recoveries.joined(separator: ","))
        }

        Self.expectExact(figures, cluster)
        #expect(figures.failedRequests == 0)
        #expect(!recoveries.contains("none"), "replicas did not catch up within 30 s: \(recoveries)")
        #expect(scenario.replicaMetric("pageviews_replays_total") > 0)
        #expect(scenario.replicaMetric("pageviews_store_data_loss_total") > 0)
    }
}
