import Foundation
import Testing
import TestSupport

extension ChaosTests {
    /// Redis is unreachable for the replicas for 5 s (5 minutes at full
    /// length): the proxy resets every connection. Replicas keep responding,
    /// serve `stale: true`, keep their buffers bounded, and once Redis is
    /// back they serve exact totals for the window. Views that left the
    /// window during the outage are dropped and counted in
    /// `pageviews_views_dropped_total`.
    @Test func redisOutageKeepsServingAndCatchesUp() throws {
        var options = ClusterOptions()
        options.withBalancer = false
        options.throughProxy = true
        let cluster = try ClusterFixture.start(options)
        defer { cluster.stop() }
        let proxy = try #require(cluster.proxy)
        let outage = ChaosMode.pick(short: 5.0, full: 300.0)
        var plan = LoadPlan(ports: cluster.replicaPorts, counters: Self.counters("outage"))
        plan.maxDuration = outage + 60

        let scenario = ChaosScenario("Redis down \(Int(outage)) s", cluster: cluster, plan: plan)
        var outageSeconds: ClosedRange<Int64> = 0...0
        var bufferedAtEnd = 0
        var bufferBound = 0
        var recovery: Int64?
        let figures = try scenario.run { scenario in
            scenario.pause(3)
            let memoryBefore = Self.residentKilobytes(cluster)
            let down = LoadGenerator.nowMillis()
            proxy.goDown()
            scenario.pause(outage)
            bufferedAtEnd = scenario.replicaMetric("pageviews_views_buffered")
            let now = LoadGenerator.nowMillis() / 1000
            let snapshot = scenario.load.tally.snapshot()
            bufferBound = plan.counters.map { snapshot.views($0, in: (now - 61)...now).upperBound }.reduce(0, +)
            let memoryAfter = Self.residentKilobytes(cluster)
            proxy.goUp()
            outageSeconds = (down / 1000)...(LoadGenerator.nowMillis() / 1000)
            recovery = scenario.measureRecovery(timeout: 30)
            scenario.pause(2)

            scenario.figures.note("recovery_ms", recovery.map(String.init) ?? "none")
            scenario.figures.note("rss_kb_before", memoryBefore.map(String.init).joined(separator: ","))
            scenario.figures.note("rss_kb_after", memoryAfter.map(String.init).joined(separator: ","))
            scenario.figures.note("buffered_at_end", bufferedAtEnd)
            scenario.figures.note("connections_reset_while_down", proxy.statistics.resetWhileDown)
        }

        Self.expectExact(figures, cluster)
        #expect(
            figures.failedRequests == 0,
            "replicas must answer during the outage \(outageSeconds): \(scenario.load.tally.snapshot().failureSamples)")
        #expect(recovery != nil, "replicas did not catch up within 30 s")
        #expect(scenario.monitor.staleReadings.allSatisfy { $0 > 0 }, "a replica never served stale: true")
        #expect(bufferedAtEnd <= bufferBound, "buffer holds more than the window's views")
        let snapshot = scenario.load.tally.snapshot()
        // Views of these seconds had left the window when Redis came back.
        let outsideSeconds = (outageSeconds.lowerBound + 1)...max(outageSeconds.lowerBound + 1, outageSeconds.upperBound - 61)
        let certainlyOutside = outage < 62 ? 0 : plan.counters.map {
            snapshot.views($0, in: outsideSeconds).lowerBound
        }.reduce(0, +)
        let dropped = scenario.replicaMetric("pageviews_views_dropped_total")
        #expect(dropped >= certainlyOutside, "views left the window without being counted as dropped")
        if outage < 55 {
            #expect(dropped == 0)
        }
    }

    static func residentKilobytes(_ cluster: ClusterFixture) -> [Int] {
        cluster.replicas.compactMap { $0.flatMap { ProcessMemory.residentKilobytes(pid: $0.pid) } }
    }
}
