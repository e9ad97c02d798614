import Foundation
import Testing
import TestSupport

/// Fault scenarios against a whole cluster of real processes: load runs
/// while connections are cut, Redis stalls, goes away or restarts empty,
/// replicas restart or die, aggregators die, and clocks disagree. Each test
/// prints one `chaos-figures` line; scripts/chaos runs them at full length
/// (`PAGEVIEWS_CHAOS_FULL=1`) and collects the lines into a table.
///
/// Serialized, so that the scenarios never compete with each other for CPU.
@Suite(.serialized) struct ChaosTests {
    /// Counter names that no other test uses: `<scenario>-<random>-<letter>`.
    static func counters(_ scenario: String, count: Int = 3) -> [String] {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return (0..<count).map { "\(scenario)-\(tag)-\(["a", "b", "c", "d"][$0])" }
    }

    /// Expectations every scenario shares: nothing lost, nothing counted twice.
    static func expectExact(_ figures: ChaosFigures, _ cluster: ClusterFixture) {
        #expect(figures.sent > 0, "no view was sent")
        #expect(figures.lost == 0, "views lost: \(figures.line)\n\(cluster.logTails())")
        #expect(figures.twice == 0, "views counted twice: \(figures.line)\n\(cluster.logTails())")
        #expect(figures.staleAtEnd == 0, "stale totals at the end: \(figures.line)")
    }
}
