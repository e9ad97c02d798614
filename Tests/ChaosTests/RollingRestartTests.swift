import Foundation
import Testing
import TestSupport

extension ChaosTests {
    /// Restarts the three replicas one after another with SIGTERM while
    /// keep-alive clients send through HAProxy: no request fails, no view is
    /// lost, and each new process runs under a new incarnation.
    @Test func rollingRestartLosesNothing() throws {
        let cluster = try ClusterFixture.start(ClusterOptions())
        defer { cluster.stop() }
        var plan = LoadPlan(ports: [cluster.balancerPort], counters: Self.counters("rolling"))
        plan.maxDuration = 180
        let rounds = ChaosMode.pick(short: 1, full: 3)

        let scenario = ChaosScenario("rolling restart (SIGTERM)", cluster: cluster, plan: plan)
        var exitStatuses: [Int32?] = []
        var lastAnswerAfterTerm: [Int64] = []
        var drainMillis: [Int64] = []
        let figures = try scenario.run { scenario in
            scenario.pause(2)
            for _ in 0..<rounds {
                for index in 0..<3 {
                    let instance = "server-\(index + 1)"
                    let term = LoadGenerator.nowMillis()
                    exitStatuses.append(cluster.stopReplica(index))
                    let exited = LoadGenerator.nowMillis()
                    drainMillis.append(exited - term)
                    let answers = scenario.load.tally.snapshot().receivedByInstance[instance] ?? []
                    lastAnswerAfterTerm.append((answers.last ?? term) - term)
                    try cluster.startReplica(index)
                    try Self.waitUntilBalanced(instance, since: exited, scenario: scenario)
                    scenario.pause(1)
                }
            }
            scenario.figures.note("drain_ms", drainMillis.map(String.init).joined(separator: ","))
            scenario.figures.note(
                "last_answer_after_sigterm_ms", lastAnswerAfterTerm.map(String.init).joined(separator: ","))
        }

        Self.expectExact(figures, cluster)
        #expect(figures.failedRequests == 0, "failed: \(scenario.load.tally.snapshot().failureSamples)")
        #expect(exitStatuses.allSatisfy { $0 == 0 }, "exit statuses \(exitStatuses)")
        for index in 0..<3 {
            let incarnations = try Self.replicaIdentities(cluster, index: index)
            #expect(incarnations.count == rounds + 1, "server-\(index + 1) ran as \(incarnations)")
        }
    }

    /// Waits until HAProxy sends `instance` views again after `since` (Unix ms).
    static func waitUntilBalanced(_ instance: String, since: Int64, scenario: ChaosScenario) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let answers = scenario.load.tally.snapshot().receivedByInstance[instance] ?? []
            if let last = answers.last, last > since {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw FixtureError("HAProxy sent no view to \(instance) within 20 s of its restart")
    }

    /// Returns the distinct replica ids of `server-<index + 1>` from the "server started" lines of its log.
    static func replicaIdentities(_ cluster: ClusterFixture, index: Int) throws -> Set<String> {
        let log = cluster.directory.appendingPathComponent("server-\(index + 1).log")
        let text = try String(contentsOf: log, encoding: .utf8)
        let lines = text.split(separator: "\n").filter { $0.contains("msg=\"server started\"") }
        return Set(lines.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("replica=") }.map { String($0.dropFirst(8)) }
        })
    }
}
