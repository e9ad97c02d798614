import Foundation

/// One chaos run: load on a cluster while a fault plays out, then the check
/// that every replica serves exactly the views the clients got a 2xx for.
///
/// `run` starts the staleness monitor and the load, calls the fault body,
/// and stops the load when the body returns. It then waits until every
/// running replica serves the expected totals, or `convergenceTimeout`
/// passes. After `settleSeconds` more, so that a late double count would
/// show, it reads every replica once more for the figures.
public final class ChaosScenario {
    public let cluster: ClusterFixture
    public let load: LoadGenerator
    public let monitor: StalenessMonitor
    public var figures: ChaosFigures
    /// Maximum wait for the replicas to serve the expected totals after the load stops, in seconds.
    public var convergenceTimeout: TimeInterval = 30
    public var settleSeconds: TimeInterval = 1
    /// Counters that another load sends into `load.tally`, checked like the plan's.
    public var extraCounters: [String] = []
    /// Unix ms when the load stopped.
    public private(set) var loadStoppedMillis: Int64 = 0

    public init(_ scenario: String, test: String = #function, cluster: ClusterFixture, plan: LoadPlan) {
        self.cluster = cluster
        self.load = LoadGenerator(plan: plan)
        self.monitor = StalenessMonitor(ports: cluster.replicaPorts, counter: plan.counters[0])
        self.figures = ChaosFigures(scenario: scenario, test: String(test.prefix { $0 != "(" }))
    }

    /// Ports of the replicas that are running now.
    public var runningReplicaPorts: [Int] {
        cluster.replicaPorts.indices.filter { cluster.replicas[$0] != nil }.map { cluster.replicaPorts[$0] }
    }

    /// Runs the scenario and prints its figure line. `fault` runs while the
    /// load runs; `afterwards` runs after the final reading, before the line
    /// is printed, to add figures that need the settled totals.
    @discardableResult
    public func run(
        fault: (ChaosScenario) throws -> Void, afterwards: (ChaosScenario) throws -> Void = { _ in }
    ) throws -> ChaosFigures {
        monitor.start()
        load.start()
        defer {
            load.stop()
            monitor.stop()
        }
        try fault(self)
        load.stop()
        loadStoppedMillis = LoadGenerator.nowMillis()
        monitor.stop()

        let snapshot = load.tally.snapshot()
        figures.failedRequests = snapshot.failures
        figures.maxStalenessMillis = monitor.maxStalenessMillis
        figures.convergenceMillis = waitForExactTotals(snapshot)
        Thread.sleep(forTimeInterval: settleSeconds)
        try recordFinalReadings(snapshot)
        noteReplicaMetrics()
        try afterwards(self)
        print(figures.line)
        return figures
    }

    /// Waits until every running replica serves totals inside the expected
    /// ranges. Returns the ms it took since the load stopped, or nil if that
    /// did not happen within `convergenceTimeout`.
    private func waitForExactTotals(_ snapshot: TallySnapshot) -> Int64? {
        let deadline = Date().addingTimeInterval(convergenceTimeout)
        repeat {
            if let readings = try? readAll(), readings.allSatisfy({ Self.isExact($0, snapshot) }) {
                return LoadGenerator.nowMillis() - loadStoppedMillis
            }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return nil
    }

    private func recordFinalReadings(_ snapshot: TallySnapshot) throws {
        let readings = try readAll()
        var counted: [Int] = []
        for replica in readings {
            var served = 0
            var lost = 0
            var twice = 0
            var sent = 0
            for (counter, reading) in replica {
                if reading.isStale {
                    figures.staleAtEnd += 1
                }
                let expected = Self.expectedViews(counter, reading, snapshot)
                served += reading.views
                // Views whose second is ambiguous at the window's edges count as sent when served.
                sent += min(max(reading.views, expected.lowerBound), expected.upperBound)
                lost += max(0, expected.lowerBound - reading.views)
                twice += max(0, reading.views - expected.upperBound)
            }
            counted.append(served)
            figures.sent = max(figures.sent, sent)
            figures.lost = max(figures.lost, lost)
            figures.twice = max(figures.twice, twice)
        }
        figures.counted = counted.min() ?? 0
        if Set(counted).count > 1 {
            figures.note("counted_by_replica", counted.map(String.init).joined(separator: ","))
        }
    }

    /// Reads every counter of the plan from every running replica.
    public func readAll() throws -> [[String: CounterReading]] {
        try runningReplicaPorts.map { port in
            var readings: [String: CounterReading] = [:]
            for counter in load.plan.counters + extraCounters {
                readings[counter] = try CounterReading.read(counter, port: port)
            }
            return readings
        }
    }

    static func isExact(_ readings: [String: CounterReading], _ snapshot: TallySnapshot) -> Bool {
        readings.allSatisfy { counter, reading in
            !reading.isStale && reading.asOfSecond != nil
                && expectedViews(counter, reading, snapshot).contains(reading.views)
        }
    }

    /// The views of `counter` the window of `reading` must hold.
    static func expectedViews(_ counter: String, _ reading: CounterReading, _ snapshot: TallySnapshot)
        -> ClosedRange<Int>
    {
        guard let end = reading.asOfSecond else { return snapshot.views(counter, in: Int64.min...Int64.max) }
        return snapshot.views(counter, in: (end - 59)...end)
    }

    /// Sums metric `name` over the running replicas' `/metrics`.
    public func replicaMetric(_ name: String, labelFilter: String? = nil) -> Int {
        runningReplicaPorts.compactMap { try? MetricsSample.read(port: $0) }
            .map { $0.count(name, labelFilter: labelFilter) }.reduce(0, +)
    }

    /// Adds the replicas' fault counters to the figures' notes.
    public func noteReplicaMetrics() {
        let names = [
            ("duplicates", "pageviews_flush_duplicates_total"), ("retries", "pageviews_flush_retries_total"),
            ("replays", "pageviews_replays_total"), ("reconnects", "pageviews_redis_reconnects_total"),
            ("data_loss", "pageviews_store_data_loss_total"), ("dropped", "pageviews_views_dropped_total"),
        ]
        for (key, name) in names {
            figures.note(key, replicaMetric(name))
        }
    }

    /// Waits, while the load runs, until every running replica serves at
    /// least the views that clients got a 2xx for so far (inside the served
    /// window). Returns the ms that took, or nil after `timeout` seconds.
    public func measureRecovery(timeout: TimeInterval) -> Int64? {
        let started = LoadGenerator.nowMillis()
        let snapshot = load.tally.snapshot()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let readings = (try? readAll()) ?? []
            let recovered = !readings.isEmpty && readings.allSatisfy { replica in
                replica.allSatisfy { counter, reading in
                    !reading.isStale && reading.asOfSecond != nil
                        && reading.views >= Self.expectedViews(counter, reading, snapshot).lowerBound
                }
            }
            if recovered {
                return LoadGenerator.nowMillis() - started
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    /// Sleeps `seconds` while the load runs.
    public func pause(_ seconds: TimeInterval) {
        Thread.sleep(forTimeInterval: seconds)
    }
}
