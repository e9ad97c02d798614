import Foundation

extension ClusterFixture {
    /// The first aggregator, or nil once it stopped.
    public var aggregator: ChildProcess? {
        aggregators.first ?? nil
    }

    public var aggregatorMetricsPort: Int {
        aggregatorMetricsPorts.first ?? 0
    }

    /// Starts one more aggregator (`aggregator-<n>`), on a clock shifted by
    /// `clockOffset` (such as `+5s`) when it is given.
    public func startAggregator(clockOffset: String? = nil) throws {
        let number = aggregators.count + 1
        let port = try FreePort.find()
        var environment = [
            "REDIS_URL": redis.url, "METRICS_PORT": String(port),
            "METRICS_HOST": "127.0.0.1", "INSTANCE_NAME": "aggregator-\(number)",
        ]
        if let clockOffset {
            environment.merge(try FakeClock.environment(offset: clockOffset)) { _, new in new }
        }
        let process = try ChildProcess(
            executable: try binary("pageviews-aggregator").path, arguments: [], environment: environment,
            outputPath: directory.appendingPathComponent("aggregator-\(number).log").path)
        aggregators.append(process)
        aggregatorMetricsPorts.append(port)
        try waitUntilAnswering(port: port, path: "/healthz", process: process, name: "aggregator-\(number)")
    }

    /// Sends `signal` to aggregator `index` and waits for it to exit.
    public func stopAggregator(_ index: Int, signal: Int32 = SIGTERM) {
        guard let process = aggregators[index] else { return }

        process.send(signal)
        if !process.waitForExit(timeout: 20) {
            process.send(SIGKILL)
            _ = process.waitForExit(timeout: 5)
        }
        aggregators[index] = nil
    }
}
