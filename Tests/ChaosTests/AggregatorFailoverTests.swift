import Foundation
import Testing
import TestSupport

extension ChaosTests {
    /// Two aggregators, the second on a clock 5 s ahead (libfaketime); the
    /// first is killed with SIGKILL while load runs. Both take the time
    /// from Redis `TIME`, so they write the same totals. After the kill the
    /// totals keep updating, and no replica ever serves a total or `as_of`
    /// that went down.
    @Test func aggregatorKillKeepsTotalsFresh() throws {
        var options = ClusterOptions()
        options.withBalancer = false
        options.aggregatorClockOffsets = [nil, "+5s"]
        let cluster = try ClusterFixture.start(options)
        defer { cluster.stop() }
        var plan = LoadPlan(ports: cluster.replicaPorts, counters: Self.counters("aggregators"))
        plan.maxDuration = 120
        let phase = ChaosMode.pick(short: 4.0, full: 20.0)

        let scenario = ChaosScenario("two aggregators, one killed", cluster: cluster, plan: plan)
        var ticksBefore: [Int] = []
        var ticksAfter = 0
        var asOfAfterKill: [Int64?] = []
        let figures = try scenario.run { scenario in
            scenario.pause(phase)
            ticksBefore = try cluster.aggregatorMetricsPorts.map {
                try MetricsSample.read(port: $0).count("pageviews_aggregator_ticks_total", labelFilter: "ok")
            }
            let stalenessBefore = scenario.monitor.takePeriodMaxStalenessMillis()
            let kill = LoadGenerator.nowMillis() / 1000
            cluster.stopAggregator(0, signal: SIGKILL)
            scenario.pause(phase)
            let stalenessAfter = scenario.monitor.takePeriodMaxStalenessMillis()
            asOfAfterKill = try scenario.runningReplicaPorts.map {
                try CounterReading.read(plan.counters[0], port: $0).asOfSecond.map { $0 - kill }
            }
            ticksAfter = try MetricsSample.read(port: cluster.aggregatorMetricsPorts[1])
                .count("pageviews_aggregator_ticks_total", labelFilter: "ok")
            scenario.figures.note("staleness_before_kill_ms", stalenessBefore)
            scenario.figures.note("staleness_after_kill_ms", stalenessAfter)
            scenario.figures.note("ticks_before_kill", ticksBefore.map(String.init).joined(separator: ","))
        } afterwards: { scenario in
            scenario.figures.note("decreases", scenario.monitor.decreases.count)
        }

        Self.expectExact(figures, cluster)
        #expect(figures.failedRequests == 0)
        #expect(ticksBefore.allSatisfy { $0 > 0 }, "an aggregator never completed a tick: \(ticksBefore)")
        #expect(ticksAfter > ticksBefore[1], "the remaining aggregator stopped ticking")
        #expect(asOfAfterKill.allSatisfy { ($0 ?? 0) > 1 }, "as_of seconds after the kill: \(asOfAfterKill)")
        #expect(scenario.monitor.decreases.isEmpty, "\(scenario.monitor.decreases.prefix(5))")
    }
}
