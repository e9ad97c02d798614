import Foundation
import Testing
import TestSupport

extension ChaosTests {
    /// One replica runs 5 s ahead and one 5 s behind (libfaketime). Each
    /// measures its offset to Redis time and stamps views with Redis time,
    /// so every view lands in the second it was sent in, the totals are
    /// exact, and no total ever goes down while load runs.
    @Test func clockSkewKeepsViewsInTheirSeconds() throws {
        var options = ClusterOptions()
        options.withBalancer = false
        options.replicaClockOffsets = [0: "+5s", 1: "-5s"]
        let cluster = try ClusterFixture.start(options)
        defer { cluster.stop() }
        var plan = LoadPlan(ports: cluster.replicaPorts, counters: Self.counters("skew"))
        plan.maxDuration = ChaosMode.pick(short: 10, full: 40)

        let scenario = ChaosScenario("clock skew +5 s / -5 s", cluster: cluster, plan: plan)
        var misplaced: [String] = []
        let figures = try scenario.run { scenario in
            _ = scenario.load.waitUntilFinished(timeout: plan.maxDuration + 30)
            let offsets = cluster.replicaPorts.compactMap { try? MetricsSample.read(port: $0) }
                .map { $0.count("pageviews_clock_offset_milliseconds") }
            scenario.figures.note("clock_offsets_ms", offsets.map(String.init).joined(separator: ","))
        } afterwards: { scenario in
            misplaced = try Self.misplacedSeconds(scenario)
            scenario.figures.note("misplaced_seconds", misplaced.count)
            scenario.figures.note("decreases", scenario.monitor.decreases.count)
        }

        Self.expectExact(figures, cluster)
        #expect(figures.failedRequests == 0)
        #expect(scenario.monitor.decreases.isEmpty, "\(scenario.monitor.decreases.prefix(5))")
        #expect(misplaced.isEmpty, "seconds whose served views differ from the sent ones: \(misplaced.prefix(5))")
    }

    /// Seconds of the served series, on any replica, whose views are outside the range the clients sent in it.
    static func misplacedSeconds(_ scenario: ChaosScenario) throws -> [String] {
        let snapshot = scenario.load.tally.snapshot()
        var misplaced: [String] = []
        for port in scenario.runningReplicaPorts {
            for counter in scenario.load.plan.counters {
                let reading = try CounterReading.read(counter, port: port, series: true)
                guard let end = reading.asOfSecond else { continue }
                for (offset, served) in reading.series.enumerated() {
                    let second = end - 59 + Int64(offset)
                    let sent = snapshot.views(counter, second: second)
                    if !sent.contains(served) {
                        misplaced.append("port \(port) \(counter) second \(second): served \(served), sent \(sent)")
                    }
                }
            }
        }
        return misplaced
    }
}
