import Foundation
import Testing
import TestSupport

extension ChaosTests {
    /// Cuts the replicas' Redis connections at random points (mid-request,
    /// after the request reached Redis but before any reply, halfway through
    /// the replies) until at least 100 cuts (1,000 at full length).
    @Test func connectionCutsCountExactlyOnce() throws {
        var options = ClusterOptions()
        options.withBalancer = false
        options.throughProxy = true
        options.proxySeed = 20_261_204
        options.serverEnvironment = ["FLUSH_INTERVAL_MS": "50", "REFRESH_INTERVAL_MS": "100"]
        let cluster = try ClusterFixture.start(options)
        defer { cluster.stop() }
        let proxy = try #require(cluster.proxy)
        let targetCuts = ChaosMode.pick(short: 100, full: 1_000)
        var plan = LoadPlan(ports: cluster.replicaPorts, counters: Self.counters("cuts"))
        plan.maxDuration = ChaosMode.pick(short: 60, full: 300)

        let scenario = ChaosScenario("connection cuts", cluster: cluster, plan: plan)
        let figures = try scenario.run { scenario in
            scenario.pause(1)
            proxy.setCutProbability(0.2)
            let deadline = Date().addingTimeInterval(plan.maxDuration - 5)
            while proxy.statistics.totalCuts < targetCuts && Date() < deadline {
                scenario.pause(0.2)
            }
            proxy.setCutProbability(0)
            scenario.pause(1)
            let statistics = proxy.statistics
            scenario.figures.note("cuts", statistics.totalCuts)
            for kind in FaultProxy.CutKind.allCases {
                scenario.figures.note("cuts_\(kind.rawValue)", statistics.cuts[kind] ?? 0)
            }
        }

        Self.expectExact(figures, cluster)
        #expect(figures.failedRequests == 0)
        #expect(proxy.statistics.totalCuts >= targetCuts)
        #expect(scenario.replicaMetric("pageviews_redis_reconnects_total") > 0)
        #expect(scenario.replicaMetric("pageviews_flush_retries_total") > 0)
    }
}
