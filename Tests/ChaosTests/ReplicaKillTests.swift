import Foundation
import Testing
import TestSupport

extension ChaosTests {
    /// Kills one replica with SIGKILL while load runs through HAProxy. Its
    /// views of the last flush interval may be lost, no more. The figures
    /// compare the loss with the views it served in the last interval.
    @Test func replicaKillLosesAtMostOneInterval() throws {
        let flushInterval: Int64 = 200
        var options = ClusterOptions()
        options.serverEnvironment = ["FLUSH_INTERVAL_MS": String(flushInterval)]
        let cluster = try ClusterFixture.start(options)
        defer { cluster.stop() }
        var plan = LoadPlan(ports: [cluster.balancerPort], counters: Self.counters("kill"))
        plan.maxDuration = 60

        let scenario = ChaosScenario("SIGKILL of one replica", cluster: cluster, plan: plan)
        // The killed replica's last views never arrive, so the totals may never match.
        scenario.convergenceTimeout = 5
        var lastInterval = 0
        var lastTwoIntervals = 0
        let figures = try scenario.run { scenario in
            scenario.pause(ChaosMode.pick(short: 3, full: 10))
            let kill = LoadGenerator.nowMillis()
            cluster.stopReplica(1, signal: SIGKILL)
            let snapshot = scenario.load.tally.snapshot()
            lastInterval = snapshot.views(answeredBy: "server-2", receivedIn: (kill - flushInterval)...kill)
            lastTwoIntervals = snapshot.views(answeredBy: "server-2", receivedIn: (kill - 2 * flushInterval)...kill)
            scenario.figures.note("killed_replica_views_last_interval", lastInterval)
            scenario.figures.note("killed_replica_views_last_two_intervals", lastTwoIntervals)
            scenario.pause(3)
        }

        #expect(figures.twice == 0)
        #expect(figures.staleAtEnd == 0)
        // A flush round starts up to one interval before the kill and takes
        // a few ms more, so the bound allows two intervals' views.
        #expect(figures.lost <= lastTwoIntervals, "lost more than the killed replica's last intervals")
    }
}
